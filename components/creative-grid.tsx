"use client";

import type { Slot } from "@/hooks/generation-state";
import type { Design } from "@/lib/design";
import type { CreativeVariant } from "@/lib/variants";
import { CreativeCard, type CreativeActions } from "./creative-card";

interface CreativeGridProps {
  slots: Slot[];
  width: number;
  height: number;
  /** The list's accessible name: one per format when the set has several. */
  label?: string;
  productName: string;
  jobId?: string;
  /** The campaign's design, under each creative's own copy. */
  design?: Design;
  /** What each slot tests, as the run announced it (a finished ad's own event says it too). */
  variants?: (CreativeVariant | null)[];
  canAct: boolean;
  actions: CreativeActions;
}

/** Columns that fit the count without an orphan: 4 → 2×2 (wide formats) or one row, 5–6 → 3, 7–8 → 4. */
export function columnsFor(count: number, aspect: number): number {
  if (count <= 3) return Math.max(1, count);
  if (count === 4) return aspect > 1.2 ? 2 : 4;
  if (count <= 6) return 3;
  return 4;
}

export function CreativeGrid({ slots, variants, label = "Generated creatives", ...rest }: CreativeGridProps) {
  if (slots.length === 0) return null;
  return (
    <ul className="creative-grid" aria-label={label} data-columns={columnsFor(slots.length, rest.width / rest.height)}>
      {slots.map((slot) => (
        <CreativeCard key={slot.index} slot={slot} variant={(slot.status === "done" ? slot.image.variant : undefined) ?? variants?.[slot.index] ?? null} {...rest} />
      ))}
    </ul>
  );
}
