import { z } from "zod";
import { PROVIDER_IDS, type ProviderId } from "./providers-meta";
import { AD_FORMAT_IDS, type AdFormatId } from "./ad-formats";
import { BUILTIN_PRESET_IDS, designSchema } from "./design";
import { copyLengthIssues } from "./platform-copy";
import { COPY_WRITER_IDS } from "./copy-angles";
import { VARIANT_DIMENSION_IDS } from "./variants";
import { textField } from "./text-field";

/** Shared by the form (client) and the API edge (server): one source for field rules. */

export const VISUAL_STYLES = {
  photographic: "Photographic",
  minimalist: "Clean minimalist",
  illustration: "Bold illustration",
  luxury: "Luxury editorial",
  retro: "Retro / vintage",
  "3d-render": "3D render",
} as const;
export type VisualStyle = keyof typeof VISUAL_STYLES;
export const VISUAL_STYLE_IDS = Object.keys(VISUAL_STYLES) as [VisualStyle, ...VisualStyle[]];

export const TONES = {
  energetic: "Energetic",
  calm: "Calm",
  premium: "Premium",
  playful: "Playful",
  trustworthy: "Trustworthy",
} as const;
export type Tone = keyof typeof TONES;
export const TONE_IDS = Object.keys(TONES) as [Tone, ...Tone[]];

export { PROVIDER_IDS, type ProviderId };

export const MAX_TEXT_LENGTH = 500;

/** Hub ids (`owner/name`), Pollinations names (`flux`), endpoint labels: letters, digits and `._-/:`. */
export const modelIdSchema = z
  .string({ error: "model must be a model id such as black-forest-labs/FLUX.1-schnell" })
  .trim()
  .min(1, "model must not be empty")
  .max(200, "model must be at most 200 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/:]*$/, "model must be a model id such as black-forest-labs/FLUX.1-schnell");
export const MAX_IMAGES = 8;
export const MAX_SEED = 2_147_483_647;

const text = (what: string) => textField(what, MAX_TEXT_LENGTH);

export const campaignBriefSchema = z.object({
  productName: text("the product name"),
  productDescription: text("the product description"),
  targetAudience: text("the target audience"),
  style: z.enum(VISUAL_STYLE_IDS, { error: `style must be one of: ${VISUAL_STYLE_IDS.join(", ")}` }),
  tone: z.enum(TONE_IDS, { error: `tone must be one of: ${TONE_IDS.join(", ")}` }),
});
export type CampaignBrief = z.infer<typeof campaignBriefSchema>;

export const generateRequestSchema = campaignBriefSchema
  .extend({
    format: z.enum(AD_FORMAT_IDS, { error: `format must be one of: ${AD_FORMAT_IDS.join(", ")}` }),
    /** Further formats of the same set: every creative is also made in each of these (its own picture at that size). */
    moreFormats: z
      .array(z.enum(AD_FORMAT_IDS, { error: `moreFormats must name formats among: ${AD_FORMAT_IDS.join(", ")}` }), { error: "moreFormats must be a list of formats" })
      .max(AD_FORMAT_IDS.length - 1, `moreFormats may name at most ${AD_FORMAT_IDS.length - 1} formats`)
      .optional(),
    count: z
      .number({ error: "count must be a whole number from 1 to 8" })
      .int("count must be a whole number from 1 to 8")
      .min(1, "count must be at least 1")
      .max(MAX_IMAGES, `count must be at most ${MAX_IMAGES}`),
    provider: z
      .enum(PROVIDER_IDS, { error: `provider must be one of: ${PROVIDER_IDS.join(", ")}` })
      .optional(),
    /** One of the provider's offered models (checked against them at the edge); its first when absent. */
    model: modelIdSchema.optional(),
    seed: z
      .number({ error: "seed must be a whole number" })
      .int("seed must be a whole number")
      .min(0, "seed must be 0 or more")
      .max(MAX_SEED, `seed must be at most ${MAX_SEED}`)
      .optional(),
    /** Brand kit and copy laid over every creative; defaults when absent. */
    design: designSchema.optional(),
    /** What the creatives of the set differ in; "picture" when absent (each its own scene, the same copy and layout). */
    variants: z.enum(VARIANT_DIMENSION_IDS, { error: `variants must be one of: ${VARIANT_DIMENSION_IDS.join(", ")}` }).optional(),
    /** Who writes the copy of copy variants; the first set-up writer (Hugging Face, OpenAI, then offline templates) when absent. */
    copyWriter: z.enum(COPY_WRITER_IDS, { error: `copyWriter must be one of: ${COPY_WRITER_IDS.join(", ")}` }).optional(),
    /** Look of the built-in renderer; ignored by model providers. */
    preset: z.enum(BUILTIN_PRESET_IDS, { error: `preset must be one of: ${BUILTIN_PRESET_IDS.join(", ")}` }).optional(),
  })
  .strict()
  // The platform's limits: a line it would cut is refused under its field, never cut by us.
  .superRefine((request, context) => {
    const more = request.moreFormats ?? [];
    more.forEach((format, i) => {
      if (format === request.format || more.indexOf(format) !== i) context.addIssue({ code: "custom", path: ["moreFormats", i], message: `${format} is already in the set: name each format once` });
    });
    if (!request.design) return;
    for (const issue of copyLengthIssues(request.design, requestFormats(request))) context.addIssue({ code: "custom", path: ["design", issue.key], message: issue.message });
  });
export type GenerateRequest = z.infer<typeof generateRequestSchema>;

/** The formats a request makes its set in: `format` first, then `moreFormats`. */
export function requestFormats(request: { format: AdFormatId; moreFormats?: AdFormatId[] | undefined }): AdFormatId[] {
  return [...new Set([request.format, ...(request.moreFormats ?? [])])];
}

export const DEFAULT_BRIEF: CampaignBrief = {
  productName: "Aurora Cold Brew",
  productDescription: "Small-batch cold brew coffee in a recyclable glass bottle, smooth and naturally sweet",
  targetAudience: "Young urban professionals who want great coffee on the go",
  style: "photographic",
  tone: "energetic",
};
export const DEFAULT_COUNT = 4;

/** One model a provider offers, and which routes (Inference Providers) serve it right now. */
export const modelOptionSchema = z.object({
  id: z.string(),
  label: z.string(),
  available: z.boolean(),
  reason: z.string().optional().describe("why it cannot be chosen, phrased as what to do"),
  routes: z.array(z.string()).describe('the routes that serve it, in the order they are tried ("fal-ai", "nscale", …)'),
});
export type ModelOption = z.infer<typeof modelOptionSchema>;

/** The result of checking a provider's credentials (Hugging Face whoami). */
export const accountCheckSchema = z.object({ ok: z.boolean(), message: z.string(), checkedAt: z.number() });
export type AccountCheck = z.infer<typeof accountCheckSchema>;

/** What the page needs to know about a provider; never includes configuration secrets. */
export const providerOptionSchema = z.object({
  id: z.enum(PROVIDER_IDS),
  label: z.string(),
  model: z.string().describe("the model used when the request names none: the first available one"),
  models: z.array(modelOptionSchema),
  available: z.boolean(),
  reason: z.string().optional(),
  warning: z.string().optional().describe("what to know before choosing it, though it can run (a free endpoint in maintenance, a browser key on the server)"),
  checkable: z.boolean().optional().describe("whether the provider can check its credentials on demand (the form's Check button)"),
  account: accountCheckSchema.optional(),
});
export type ProviderOption = z.infer<typeof providerOptionSchema>;
