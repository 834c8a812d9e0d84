import { z } from "zod";
import { AD_FORMAT_IDS } from "./ad-formats";
import { campaignBriefSchema, PROVIDER_IDS } from "./campaign";
import { BUILTIN_PRESET_IDS, designSchema, LAYOUT_IDS } from "./design";
import { errorCodes, jobEndStatuses } from "./events";
import { creativeVariantSchema } from "./variants";

/**
 * What the API answers about jobs (GET /api/jobs and /api/jobs/{id}), as schemas: the server's
 * answers are typed by them, the OpenAPI document is made from them, and clients (the
 * command-line client) read answers through them.
 */

const jobStatus = z.enum(["running", ...jobEndStatuses]);
const imageStatus = z.enum(["pending", "done", "failed", "cancelled", "interrupted"]);

export const publicImageSchema = z.object({
  index: z.number().int(),
  status: imageStatus,
  prompt: z.string(),
  seed: z.number().int(),
  url: z.string().nullable().describe("the finished ad, GET it with the same credentials"),
  rawUrl: z.string().nullable().describe("the provider's picture behind the ad"),
  format: z.enum(AD_FORMAT_IDS).describe("this creative's platform format (a set may be in several)"),
  model: z.string().describe("the model that made the picture: the job's, or the editing model that built a scene around the product"),
  layout: z.enum(LAYOUT_IDS),
  route: z.string().nullable(),
  sourceWidth: z.number().int().nullable(),
  sourceHeight: z.number().int().nullable(),
  thumbUrl: z.string().nullable(),
  mimeType: z.string().nullable(),
  bytes: z.number().int().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  elapsedMs: z.number().nullable(),
  error: z.object({ code: z.enum(errorCodes).or(z.string()), message: z.string().nullable() }).nullable(),
  variant: creativeVariantSchema.nullable().describe("what this creative tests, and its own copy over the job's design; null before variant sets"),
  warnings: z.array(z.string()).describe("what the provider was asked and did not do for this picture, one sentence each; empty when it did all"),
});

export const publicJobSchema = z.object({
  id: z.string(),
  status: jobStatus,
  brief: campaignBriefSchema,
  design: designSchema,
  preset: z.enum(BUILTIN_PRESET_IDS),
  provider: z.enum(PROVIDER_IDS),
  model: z.string(),
  format: z.enum(AD_FORMAT_IDS).describe("the set's first format; width and height are its model size"),
  formats: z.array(z.enum(AD_FORMAT_IDS)).describe("every format the set is in, the first one first"),
  width: z.number().int(),
  height: z.number().int(),
  seed: z.number().int(),
  negativePrompt: z.string(),
  createdAt: z.number().describe("milliseconds since 1970"),
  finishedAt: z.number().nullable(),
  lastEventId: z.number().int().describe("the id of the job's last logged event: follow with Last-Event-ID after it"),
  images: z.array(publicImageSchema),
});
export type PublicJob = z.infer<typeof publicJobSchema>;

export const jobSummarySchema = z.object({
  id: z.string(),
  productName: z.string(),
  headline: z.string(),
  status: jobStatus,
  provider: z.enum(PROVIDER_IDS),
  model: z.string(),
  format: z.enum(AD_FORMAT_IDS),
  formats: z.array(z.enum(AD_FORMAT_IDS)).describe("every format the set is in, the first one first"),
  createdAt: z.number(),
  total: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  thumbUrls: z.array(z.string()),
});

export const jobListSchema = z.object({
  jobs: z.array(jobSummarySchema),
  nextCursor: z.string().nullable().describe("pass as ?cursor= for the next (older) page; null on the last"),
});
export type JobList = z.infer<typeof jobListSchema>;

/** Every error answer: what went wrong in words, and for a bad body, which fields to fix. */
export const apiErrorSchema = z.object({
  error: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
