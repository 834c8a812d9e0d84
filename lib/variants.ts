import { z } from "zod";
import { AD_FORMAT_IDS, type AdFormatId } from "./ad-formats";
import { COPY_ANGLES, COPY_ANGLE_IDS, COPY_WRITER_IDS, copyDraftSchema, type CopyAngle } from "./copy-angles";
import { LAYOUTS, LAYOUT_IDS, type Design, type LayoutId } from "./design";

/**
 * A run is a set of variants that differ in what the marketer wants to test: the picture, the
 * copy's angle, the layout, or all three. Shared by the form, the API, the events and the exports.
 */

export const VARIANT_DIMENSIONS = {
  all: "Everything (picture, copy angle and layout)",
  picture: "Picture (same copy and layout)",
  copy: "Copy angle (same picture and layout)",
  layout: "Layout (same picture and copy)",
} as const;
export type VariantDimension = keyof typeof VARIANT_DIMENSIONS;
export const VARIANT_DIMENSION_IDS = Object.keys(VARIANT_DIMENSIONS) as [VariantDimension, ...VariantDimension[]];

export const creativeVariantSchema = z.object({
  dimension: z.enum(VARIANT_DIMENSION_IDS),
  /** What this creative tests, as its card says it: "Copy: Urgency", "Picture 2 · Question · Split panel". */
  label: z.string(),
  /** A short id for tracking (UTM content): "v2-urgency". */
  key: z.string(),
  /** The scene (the same number, the same picture). */
  picture: z.number().int().min(1),
  /** The copy angle; absent for the marketer's own copy (the control). */
  angle: z.enum(COPY_ANGLE_IDS).optional(),
  /** This creative's own lines, over the campaign's copy (a variant's angle, or an edit of this creative alone). */
  copy: copyDraftSchema.optional(),
  /** Who wrote this creative's copy. */
  writer: z.enum(COPY_WRITER_IDS).optional(),
  /** The platform format of this creative in a set made in several; the job's format when absent. */
  format: z.enum(AD_FORMAT_IDS).optional(),
});
export type CreativeVariant = z.infer<typeof creativeVariantSchema>;

/** A creative's variant; one made before variant sets is its own picture. */
export function variantOf(image: { index: number; variant: CreativeVariant | null }): CreativeVariant {
  return image.variant ?? { dimension: "picture", label: `Picture ${image.index + 1}`, key: `v${image.index + 1}`, picture: image.index + 1 };
}

/** The format one creative is made in: its own in a set of several formats, else the job's. */
export function creativeFormat(variant: CreativeVariant | null | undefined, jobFormat: AdFormatId): AdFormatId {
  return variant?.format ?? jobFormat;
}

/** Every format of a set, the job's first, in the order its creatives have them. */
export function setFormats(jobFormat: AdFormatId, variants: readonly (CreativeVariant | null | undefined)[]): AdFormatId[] {
  return [...new Set([jobFormat, ...variants.map((variant) => creativeFormat(variant, jobFormat))])];
}

/** Each slot's picture number, copy angle (null: the marketer's own copy) and layout. */
export interface VariantPlan {
  picture: number;
  angle: CopyAngle | null;
  layout: LayoutId;
}

const ANGLE_ORDER: CopyAngle[] = ["benefit", "social-proof", "urgency", "question"];

/**
 * What each of `count` creatives varies. The first is always the marketer's own copy in their
 * layout (the control); the others step through the angles and layouts that differ from it.
 */
export function planVariants(dimension: VariantDimension, count: number, layout: LayoutId): VariantPlan[] {
  const layouts = [layout, ...LAYOUT_IDS.filter((other) => other !== layout)];
  return Array.from({ length: count }, (_, i) => ({
    picture: dimension === "picture" || dimension === "all" ? i + 1 : 1,
    angle: (dimension === "copy" || dimension === "all") && i > 0 ? ANGLE_ORDER[(i - 1) % ANGLE_ORDER.length]! : null,
    layout: dimension === "layout" || dimension === "all" ? layouts[i % layouts.length]! : layout,
  }));
}

/** The card's words for what a creative tests. */
export function variantLabel(dimension: VariantDimension, plan: VariantPlan): string {
  const angle = plan.angle ? COPY_ANGLES[plan.angle] : "Your copy";
  switch (dimension) {
    case "picture":
      return `Picture ${plan.picture}`;
    case "copy":
      return `Copy: ${angle}`;
    case "layout":
      return `Layout: ${LAYOUTS[plan.layout]}`;
    case "all":
      return `Picture ${plan.picture} · ${angle} · ${LAYOUTS[plan.layout]}`;
  }
}

/** "v2-urgency-split": the variant's number and what it changes, for UTM content and file names. */
export function variantKey(index: number, dimension: VariantDimension, plan: VariantPlan): string {
  const parts = [`v${index + 1}`];
  if (dimension === "picture" || dimension === "all") parts.push(`p${plan.picture}`);
  if (dimension === "copy" || dimension === "all") parts.push(plan.angle ?? "control");
  if (dimension === "layout" || dimension === "all") parts.push(plan.layout);
  return parts.join("-");
}

/**
 * The design one creative is laid out with: the campaign's, with the creative's own copy over it
 * (a copy variant's angle, or an edit of that creative alone). The server and the CLI's CSV alike.
 */
export function creativeDesign<D extends Pick<Design, "headline" | "subline" | "cta" | "primaryText" | "description">>(design: D, variant: CreativeVariant | null | undefined): D {
  const own = Object.fromEntries(Object.entries(variant?.copy ?? {}).filter(([, text]) => typeof text === "string"));
  return { ...design, ...own };
}
