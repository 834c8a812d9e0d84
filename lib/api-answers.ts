import { z } from "zod";
import { AD_FORMAT_IDS } from "./ad-formats";
import { providerOptionSchema } from "./campaign";
import { designSchema } from "./design";
import { imageEventSchema } from "./events";

/**
 * What the API answers besides jobs (lib/job-views.ts) and tokens (lib/api-tokens.ts): the
 * handlers' answers are typed by these, and the OpenAPI document is made from them.
 */

export const providerListSchema = z.object({ providers: z.array(providerOptionSchema) });
export const providerCheckSchema = z.object({ provider: providerOptionSchema.describe("the provider, with what its account check said under `account`") });

export const uploadedLogoSchema = z.object({
  logoId: z.string().describe("name it as design.logoId"),
  url: z.string(),
  width: z.number().int(),
  height: z.number().int(),
});
export const uploadedProductSchema = z.object({
  productId: z.string().describe("name it as design.productId"),
  url: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  keyed: z.boolean().describe("whether a plain backdrop was keyed out"),
});

export const designEditSchema = z.object({
  design: designSchema,
  format: z.enum(AD_FORMAT_IDS),
  images: z.array(imageEventSchema).describe("every finished creative, re-composited"),
  elapsedMs: z.number(),
});
export const layoutEditSchema = z.object({ images: z.array(imageEventSchema).describe("the creative, re-composited") });

export const cancelAnswerSchema = z.object({ cancelled: z.boolean(), reason: z.string().optional().describe("why nothing was stopped") });
