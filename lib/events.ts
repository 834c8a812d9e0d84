import { z } from "zod";
import { AD_FORMAT_IDS } from "./ad-formats";
import { campaignBriefSchema, PROVIDER_IDS } from "./campaign";
import { designSchema, LAYOUT_IDS } from "./design";
import { creativeVariantSchema } from "./variants";

/**
 * The generation event protocol, shared by the server (which encodes it as SSE) and the
 * browser (which parses and validates it). Changing a payload here changes both sides.
 */

const providerId = z.enum(PROVIDER_IDS);

export const startEventSchema = z.object({
  jobId: z.string(),
  /** Images this run makes. */
  total: z.number().int(),
  /** Which slots of the job this run makes (all of them, or the ones being resumed, retried or added). */
  indices: z.array(z.number().int()),
  /** Slots in the job after this run starts (grows with "More like this"). */
  batchSize: z.number().int(),
  brief: campaignBriefSchema,
  design: designSchema,
  format: z.enum(AD_FORMAT_IDS),
  provider: providerId,
  model: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  seed: z.number().int(),
  /** Prompt of every slot of the job, by index. */
  prompts: z.array(z.string()),
  negativePrompt: z.string(),
  /** What each slot of the job tests, by index (null for slots made before variant sets). */
  variants: z.array(creativeVariantSchema.nullable()).optional(),
});

export const progressEventSchema = z.object({
  index: z.number().int(),
  status: z.enum(["queued", "generating", "retrying"]),
  attempt: z.number().int(),
  message: z.string(),
  completed: z.number().int(),
  total: z.number().int(),
  /** For "retrying": when the next attempt starts (server epoch ms). */
  retryAt: z.number().optional(),
});

export const imageEventSchema = z.object({
  index: z.number().int(),
  /** The finished ad: the picture at the platform size with brand and copy laid over it. */
  url: z.string(),
  /** A WebP preview of the ad for grids. */
  thumbUrl: z.string(),
  /** The untouched picture from the provider, kept so the ad can be re-composited. */
  rawUrl: z.string(),
  format: z.enum(AD_FORMAT_IDS),
  layout: z.enum(LAYOUT_IDS),
  width: z.number().int(),
  height: z.number().int(),
  seed: z.number().int(),
  prompt: z.string(),
  provider: providerId,
  /** The model and the route that actually made the picture (absent in events recorded before routes existed). */
  model: z.string().optional(),
  route: z.string().optional(),
  /** The picture's real size as the provider sent it (it is cropped to the format). */
  sourceWidth: z.number().int().optional(),
  sourceHeight: z.number().int().optional(),
  elapsedMs: z.number(),
  mimeType: z.string(),
  bytes: z.number().int(),
  placeholder: z.string(),
  /** Server epoch ms when the provider's bytes were verified and stored. */
  readyAt: z.number(),
  /** Server epoch ms when the provider returned the picture (absent for re-composited creatives). */
  providerDoneAt: z.number().optional(),
  /** What this creative tests, and its own copy (absent before variant sets). */
  variant: creativeVariantSchema.optional(),
  /** What the provider was asked and did not do ("OpenAI's image models take no seed…"), one sentence each for the marketer; absent when it did all. */
  warnings: z.array(z.string()).optional(),
});

export const errorCodes = [
  "auth",
  "bad_request",
  "rate_limited",
  "payment_required",
  "unsupported",
  "model_loading",
  "provider_error",
  "network",
  "timeout",
  "bad_image",
  "storage",
  "cancelled",
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export const errorEventSchema = z.object({
  index: z.number().int(),
  code: z.enum(errorCodes),
  message: z.string(),
  retryable: z.boolean(),
});

export const jobEndStatuses = ["completed", "cancelled", "interrupted"] as const;

export const doneEventSchema = z.object({
  jobId: z.string(),
  /** completed: every image of the run settled; cancelled: Stop or no viewer; interrupted: the server went down. */
  status: z.enum(jobEndStatuses),
  succeeded: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
  elapsedMs: z.number(),
});

/**
 * A glimpse of a slot's picture before its ad is ready. Transient: sent without an `id:` and never
 * written to the job's log, so Last-Event-ID replay stays exact and a reconnecting viewer simply
 * gets the next preview or the image.
 */
export const previewEventSchema = z.object({
  index: z.number().int(),
  /** A small WebP (at most 640 px): a `data:` URL when small, else `/api/previews/{id}` for a few minutes. */
  url: z.string(),
  /** raw: the provider's finished picture before brand and copy; partial: the picture still forming. */
  kind: z.enum(["raw", "partial"]),
  /** Where the provider is: "Step 12 of 30" (a sampler's steps) or "Draft 1 of 3" (OpenAI's partial images). */
  step: z.number().int().optional(),
  steps: z.number().int().optional(),
  unit: z.enum(["step", "draft"]).optional(),
  /** The provider's estimate of the time left. */
  etaMs: z.number().optional(),
  /** Server epoch ms when the provider returned the picture (raw previews), for measuring. */
  providerDoneAt: z.number().optional(),
});

/** Events that are logged and replayed (each has an id). */
export const eventSchemas = {
  start: startEventSchema,
  progress: progressEventSchema,
  image: imageEventSchema,
  error: errorEventSchema,
  done: doneEventSchema,
} as const;

/** Everything a stream can carry: the logged events and the transient preview. */
const streamEventSchemas = { ...eventSchemas, preview: previewEventSchema } as const;

/** What each event means, for the API's documentation (the OpenAPI document and /api-docs). */
export const EVENT_DESCRIPTIONS: Record<keyof typeof streamEventSchemas, string> = {
  start: "The run began: the job's id, the brief, the design, and the prompt of every slot.",
  progress: "A slot is queued, generating, or waiting to retry (with when).",
  preview: "A glimpse of a slot's picture while it forms, or the raw picture before the ad. Transient: no id, not replayed.",
  image: "A finished ad: its URL, preview, raw picture, size, seed and prompt.",
  error: "A slot failed after its retries, with a code and a message a person can act on.",
  done: "The run ended: completed, cancelled (Stop) or interrupted, with counts. The stream closes after it.",
};

/** Every stream event with its schema, whether it is logged (has an id), and what it means. */
export const STREAM_EVENT_TYPES = Object.entries(streamEventSchemas).map(([name, schema]) => ({
  name: name as keyof typeof streamEventSchemas,
  schema,
  logged: name in eventSchemas,
  what: EVENT_DESCRIPTIONS[name as keyof typeof streamEventSchemas],
}));

export type GenerationEventName = keyof typeof eventSchemas;
export type GenerationEventData<N extends GenerationEventName> = z.infer<(typeof eventSchemas)[N]>;
export type GenerationEvent = {
  [N in GenerationEventName]: { event: N; data: GenerationEventData<N> };
}[GenerationEventName];
export type PreviewEvent = z.infer<typeof previewEventSchema>;
export type StreamEvent = GenerationEvent | { event: "preview"; data: PreviewEvent };

export type StartEvent = GenerationEventData<"start">;
export type ProgressEvent = GenerationEventData<"progress">;
export type ImageEvent = GenerationEventData<"image">;
export type ErrorEvent = GenerationEventData<"error">;
export type DoneEvent = GenerationEventData<"done">;

/**
 * One SSE frame. JSON.stringify never emits a raw newline, so one `data:` line is enough. An event
 * the log could not keep (a full disk) goes out without an id, so no viewer ever holds an id the
 * log may give to another event.
 */
export function encodeEvent(id: number | undefined, event: GenerationEvent): string {
  return `${id === undefined ? "" : `id: ${id}\n`}event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

/** A preview frame: no `id:` line, so it never moves the viewer's Last-Event-ID. */
export function encodePreview(data: PreviewEvent): string {
  return `event: preview\ndata: ${JSON.stringify(data)}\n\n`;
}

export function encodeComment(text: string): string {
  return `: ${text.replace(/[\r\n]+/g, " ")}\n\n`;
}

/** Validates a parsed SSE message; unknown event names and malformed payloads yield null. */
export function decodeEvent(name: string | undefined, data: string): StreamEvent | null {
  if (!name || !Object.hasOwn(streamEventSchemas, name)) return null;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return null;
  }
  const schema = streamEventSchemas[name as keyof typeof streamEventSchemas];
  const parsed = schema.safeParse(json);
  if (!parsed.success) return null;
  return { event: name, data: parsed.data } as StreamEvent;
}
