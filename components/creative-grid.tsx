"use client";

import type { Slot } from "@/hooks/generation-state";
import { CreativeCard, type CreativeActions } from "./creative-card";

interface CreativeGridProps {
  slots: Slot[];
  width: number;
  height: number;
  productName: string;
  jobId?: string;
  canAct: boolean;
  actions: CreativeActions;
}

export function CreativeGrid({ slots, ...rest }: CreativeGridProps) {
  if (slots.length === 0) return null;
  return (
    <ul className="creative-grid" aria-label="Generated creatives">
      {slots.map((slot) => (
        <CreativeCard key={slot.index} slot={slot} {...rest} />
      ))}
    </ul>
  );
}
