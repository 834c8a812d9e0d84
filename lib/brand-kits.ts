import { z } from "zod";
import { campaignBriefSchema } from "./campaign";
import { designSchema } from "./design";
import { textField } from "./text-field";

/**
 * Saved brand kits, one per client: the brand's name, colours, logo and packshot, with the brief
 * last used with them, so choosing a kit never pairs one client's brand with another's brief.
 */

export const MAX_BRAND_KITS = 100;

export const brandKitInputSchema = designSchema
  .pick({ brandName: true, primaryColor: true, secondaryColor: true, logoId: true, productId: true })
  .extend({
    /** How the kit is listed ("Aurora coffee"); saving under a name a kit has replaces that kit. */
    name: textField("the kit's name", 60),
    brief: campaignBriefSchema,
  })
  .strict();
export type BrandKitInput = z.infer<typeof brandKitInputSchema>;

export const brandKitSchema = brandKitInputSchema.extend({
  id: z.string(),
  updatedAt: z.number().describe("milliseconds since 1970"),
});
export type SavedBrandKit = z.infer<typeof brandKitSchema>;

export const brandKitListSchema = z.object({ kits: z.array(brandKitSchema).describe("the workspace's kits, by name") });
