import { z } from "zod";
import { textField } from "./text-field";

/**
 * The brand kit and ad copy laid over each creative. Text is set by us, not drawn by the model
 * (diffusion models spell badly). Shared by the form, the API edge and the compositor.
 */

export const LAYOUTS = {
  "bottom-band": "Bottom band",
  "top-headline": "Top headline",
  "centered-card": "Centred card",
  split: "Split panel",
} as const;
export type LayoutId = keyof typeof LAYOUTS;
export const LAYOUT_IDS = Object.keys(LAYOUTS) as [LayoutId, ...LayoutId[]];

export const BUILTIN_PRESETS = {
  auto: "Match the visual style",
  "gradient-mesh": "Gradient mesh",
  geometric: "Geometric",
  "soft-bokeh": "Soft bokeh",
  "paper-cut": "Paper cut",
} as const;
export type BuiltinPresetId = keyof typeof BUILTIN_PRESETS;
export const BUILTIN_PRESET_IDS = Object.keys(BUILTIN_PRESETS) as [BuiltinPresetId, ...BuiltinPresetId[]];

/**
 * The most each line may have anywhere: what fits over the picture (brand, headline, subline,
 * CTA) and the longest any platform shows (primary text, description). Each platform's own,
 * smaller limits are in `platform-copy.ts`.
 */
export const COPY_LIMITS = { brandName: 40, headline: 80, subline: 140, cta: 24, primaryText: 280, description: 100 } as const;
export type CopyKey = keyof typeof COPY_LIMITS;
/** The lines a copy writer drafts (the brand name is the marketer's). */
export const COPY_LINES = ["headline", "subline", "cta", "primaryText", "description"] as const;
export type CopyLine = (typeof COPY_LINES)[number];

const hexColor = (what: string) =>
  z.string({ error: `Enter ${what} as # and six digits or letters A–F, like #1F2A44.` }).regex(/^#[0-9a-fA-F]{6}$/, `Enter ${what} as # and six digits or letters A–F, like #1F2A44.`);

export const designSchema = z
  .object({
    brandName: textField("the brand name", COPY_LIMITS.brandName),
    primaryColor: hexColor("the primary colour"),
    secondaryColor: hexColor("the button colour"),
    headline: textField("a headline", COPY_LIMITS.headline),
    subline: textField("the subline", COPY_LIMITS.subline, { optional: true }),
    cta: textField("a call to action", COPY_LIMITS.cta),
    /** The post text above the picture in the feed; not set over the picture. */
    primaryText: textField("the primary text", COPY_LIMITS.primaryText, { optional: true }).optional(),
    /** The link description under the headline, where the platform shows one. */
    description: textField("the description", COPY_LIMITS.description, { optional: true }).optional(),
    /** Where the ad leads; the CSV for ads managers adds UTM parameters per variant. */
    landingUrl: z
      .string({ error: "Enter the landing page as a web address." })
      .trim()
      .max(2000, "Shorten the landing page address to 2000 characters or fewer.")
      .refine((value) => value === "" || /^https?:\/\/[^\s/$.?#][^\s]*$/i.test(value), "Enter the landing page as a web address starting with https://.")
      .optional(),
    layout: z.enum(LAYOUT_IDS, { error: `layout must be one of: ${LAYOUT_IDS.join(", ")}` }),
    /** An uploaded logo (POST /api/logos); without one the brand name is set as a wordmark. */
    logoId: z.string().regex(/^[0-9a-f]{32}\.png$/, "logoId must come from POST /api/logos").nullable(),
    /** A product image (POST /api/products) placed on the stage of every creative; absent or null: none. */
    productId: z.string().regex(/^[0-9a-f]{32}\.png$/, "productId must come from POST /api/products").nullable().optional(),
  })
  .strict();
export type Design = z.infer<typeof designSchema>;

export const DEFAULT_DESIGN: Design = {
  brandName: "Aurora",
  primaryColor: "#1F2A44",
  secondaryColor: "#F2B84B",
  headline: "Cold brew, done right",
  subline: "Small-batch, smooth and naturally sweet. Ready when you are.",
  cta: "Shop now",
  primaryText: "Smooth, naturally sweet cold brew in a recyclable bottle. Your commute just got better.",
  description: "Free delivery over $30",
  landingUrl: "",
  layout: "bottom-band",
  logoId: null,
  productId: null,
};

/** The brand kit: the part of a design that carries over to the next campaign. */
export type BrandKit = Pick<Design, "brandName" | "primaryColor" | "secondaryColor" | "logoId">;
