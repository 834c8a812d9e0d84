import { z } from "zod";
import { AD_FORMAT_IDS } from "@/lib/ad-formats";
import { modelIdSchema, PROVIDER_IDS } from "@/lib/campaign";
import { designSchema, LAYOUT_IDS } from "@/lib/design";

/** Bodies and parameters of the job routes, validated at the edge. */

export const jobIdSchema = z.string().regex(/^[A-Za-z0-9_-]{16}$/, "job ids are 16 letters, digits, - or _");

export const rerunRequestSchema = z
  .object({
    action: z.enum(["resume", "retry", "regenerate", "more", "format"], { error: "action must be one of: resume, retry, regenerate, more, format" }),
    /** For "format": the set is made again in this format, added beside the formats it has. */
    format: z.enum(AD_FORMAT_IDS, { error: `format must be one of: ${AD_FORMAT_IDS.join(", ")}` }).optional(),
    index: z.number({ error: "index must be a whole number" }).int("index must be a whole number").min(0).max(63).optional(),
    /** Make the images with another provider (and model) than the job used so far: "Retry with …". */
    provider: z.enum(PROVIDER_IDS, { error: `provider must be one of: ${PROVIDER_IDS.join(", ")}` }).optional(),
    model: modelIdSchema.optional(),
  })
  .strict()
  .refine((value) => value.action === "resume" || value.action === "format" || value.index !== undefined, { message: "index is required for retry, regenerate and more", path: ["index"] })
  .refine((value) => (value.action === "format") === (value.format !== undefined), { message: "format goes with the action format, and only with it", path: ["format"] })
  .refine((value) => value.model === undefined || value.provider !== undefined, { message: "model needs provider", path: ["model"] });
export type RerunRequest = z.infer<typeof rerunRequestSchema>;

/** PATCH /api/jobs/{id}/design: any part of the brand kit and copy, or another format. */
export const designPatchSchema = z
  .object({
    design: designSchema.partial().strict().optional(),
    format: z.enum(AD_FORMAT_IDS, { error: `format must be one of: ${AD_FORMAT_IDS.join(", ")}` }).optional(),
  })
  .strict();

/** PATCH /api/jobs/{id}/images/{index}: another layout, or its own copy, for one creative. */
export const layoutPatchSchema = z
  .object({
    layout: z.enum(LAYOUT_IDS, { error: `layout must be one of: ${LAYOUT_IDS.join(", ")}` }).optional(),
    /** This creative's own lines (the others keep the campaign's). */
    copy: designSchema.pick({ headline: true, subline: true, cta: true, primaryText: true, description: true }).partial().strict().optional(),
  })
  .strict()
  .refine((value) => value.layout !== undefined || value.copy !== undefined, { message: "Send layout, copy, or both.", path: ["layout"] });

/** Last-Event-ID from the header, or `?lastEventId=` for clients that cannot set headers. */
export function parseLastEventId(request: Request): number | "invalid" {
  const raw = request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("lastEventId");
  if (raw === null || raw === "") return 0;
  if (!/^\d{1,12}$/.test(raw.trim())) return "invalid";
  return Number(raw.trim());
}
