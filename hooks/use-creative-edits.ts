"use client";

import { useCallback, useRef, useState } from "react";
import { describeError, describeFailure, updateCreativeCopy, updateDesign, updateLayout } from "@/lib/client/api";
import { designSchema, type CopyLine, type Design, type LayoutId } from "@/lib/design";
import { imageEventSchema, type ImageEvent } from "@/lib/events";

export type EditState = { status: "idle" | "saving" | "saved" | "error"; message?: string };

interface CreativeEditsDeps {
  /** The job being edited (the stream hook knows it). */
  currentJobId: () => string | undefined;
  /** Puts re-composited creatives in their slots. */
  applyImages: (images: ImageEvent[]) => void;
  /** Remembers the design the creatives now have. */
  designApplied: (design: Design) => void;
}

/**
 * Edits of finished creatives: a new design for all of them, or a layout or copy for one. The
 * server re-composites from the kept pictures (no model call); a newer edit cancels an older one.
 */
export function useCreativeEdits({ currentJobId, applyImages, designApplied }: CreativeEditsDeps) {
  const [editState, setEditState] = useState<EditState>({ status: "idle" });
  const controllerRef = useRef<AbortController | null>(null);

  const send = useCallback(
    async (request: (signal: AbortSignal) => Promise<Response>, after?: () => void) => {
      controllerRef.current?.abort();
      const controller = new AbortController();
      controllerRef.current = controller;
      setEditState({ status: "saving" });
      try {
        const response = await request(controller.signal);
        if (!response.ok) {
          setEditState({ status: "error", message: await describeFailure(response) });
          return;
        }
        const result = (await response.json()) as { images: unknown[] };
        applyImages(result.images.flatMap((raw) => {
          const parsed = imageEventSchema.safeParse(raw);
          return parsed.success ? [parsed.data] : [];
        }));
        after?.();
        setEditState({ status: "saved" });
      } catch (error) {
        if (!controller.signal.aborted) setEditState({ status: "error", message: `Could not update the creatives (${describeError(error)}).` });
      }
    },
    [applyImages],
  );

  const applyDesign = useCallback(
    (design: Design) => {
      const jobId = currentJobId();
      if (!jobId) return;
      const valid = designSchema.safeParse(design);
      if (!valid.success) {
        // Each message is shown under its field; here only what it means for the creatives.
        setEditState({ status: "error", message: "Fix the marked fields and the creatives update again." });
        return;
      }
      void send((signal) => updateDesign(jobId, valid.data, signal), () => designApplied(valid.data));
    },
    [currentJobId, designApplied, send],
  );

  const setLayout = useCallback(
    (index: number, layout: LayoutId) => {
      const jobId = currentJobId();
      if (jobId) void send((signal) => updateLayout(jobId, index, layout, signal));
    },
    [currentJobId, send],
  );

  const setCopy = useCallback(
    (index: number, copy: Partial<Record<CopyLine, string>>) => {
      const jobId = currentJobId();
      if (jobId) void send((signal) => updateCreativeCopy(jobId, index, copy, signal));
    },
    [currentJobId, send],
  );

  return { applyDesign, setLayout, setCopy, editState };
}
