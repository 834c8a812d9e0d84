import "server-only";
import type { Design, LayoutId } from "@/lib/design";
import type { CreativeVariant } from "@/lib/variants";

/**
 * The design one creative is laid out with: the campaign's, with the creative's own copy over it
 * (a copy variant's angle, or an edit of that creative alone), and its own layout when it has one.
 */
export function creativeDesign(design: Design, variant: CreativeVariant | null | undefined): Design {
  const own = Object.fromEntries(Object.entries(variant?.copy ?? {}).filter(([, text]) => typeof text === "string"));
  return { ...design, ...own };
}

/** A slot's layout: the one stored for it (chosen on its card, or a layout variant's), else the plan's for it. */
export function slotLayout(plan: { layouts?: (LayoutId | null)[] }, index: number, stored: LayoutId | null | undefined): LayoutId | null {
  return stored ?? plan.layouts?.[index] ?? null;
}
