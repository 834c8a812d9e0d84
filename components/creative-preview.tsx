"use client";

import { useEffect, useState } from "react";
import type { SlotPreview } from "@/hooks/generation-state";

/** "Step 12 of 30 · 8 s left", "Draft 1 of 3", or what happens after the raw picture. */
export function previewCaption(preview: SlotPreview): string {
  if (preview.kind === "raw") return "Adding your brand and copy…";
  const unit = preview.unit === "draft" ? "Draft" : "Step";
  const where = preview.step !== undefined ? (preview.steps ? `${unit} ${preview.step} of ${preview.steps}` : `${unit} ${preview.step}`) : "Forming";
  const left = preview.etaMs !== undefined && preview.etaMs > 0 ? ` · ${Math.max(1, Math.round(preview.etaMs / 1000))} s left` : "";
  return `${where}${left}`;
}

/**
 * The picture as it forms. Each later preview is decoded off-screen and swapped in only once it
 * can paint, so the slot never blanks between steps; one that cannot be decoded is skipped and the
 * last good one stays. The frame around it has a fixed shape, so nothing moves.
 */
export function CreativePreview({ index, preview }: { index: number; preview: SlotPreview }) {
  // The first one paints at once over the skeleton (nothing to keep on screen meanwhile).
  const [shown, setShown] = useState<SlotPreview>(preview);

  useEffect(() => {
    if (preview === shown) return;
    let current = true;
    const image = new Image();
    image.src = preview.url;
    image.decode().then(
      () => {
        if (current) setShown(preview);
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [preview, shown]);

  return (
    <div className="creative-live" data-testid="creative-preview" data-kind={shown.kind}>
      {/* eslint-disable-next-line @next/next/no-img-element -- a transient data: or in-memory preview; next/image would refetch it */}
      <img
        src={shown.url}
        alt=""
        onError={(event) => {
          event.currentTarget.style.visibility = "hidden";
        }}
        onLoad={() => performance.mark(`creative-preview-${index}`, { detail: { kind: shown.kind, providerDoneAt: shown.providerDoneAt } })}
      />
      <p className="creative-live__caption" data-testid="preview-caption">
        {previewCaption(shown)}
      </p>
    </div>
  );
}
