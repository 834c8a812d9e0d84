import { z } from "zod";

/** A new API token as the form and the API take it: a name that says which script uses it. */
export const newApiTokenSchema = z
  .object({
    name: z
      .string({ error: "name must be text" })
      .trim()
      .min(1, "Name the token after the script or machine that will use it.")
      .max(60, "A token's name is at most 60 characters."),
  })
  .strict();
export type NewApiToken = z.infer<typeof newApiTokenSchema>;

/** A token as listed: never the token itself, which is shown once, when made. */
export const apiTokenViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string().describe("the token's first characters, to tell tokens apart"),
  createdAt: z.number().int().describe("milliseconds since 1970"),
  lastUsedAt: z.number().int().nullable(),
});

export const apiTokenListSchema = z.object({ tokens: z.array(apiTokenViewSchema).describe("newest first") });

export const createdApiTokenSchema = apiTokenViewSchema.extend({
  token: z.string().describe("the token, shown this once: send it as Authorization: Bearer <token>"),
});
