"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { formatOfSlot, isActive, providerNotes, type Slot } from "@/hooks/generation-state";
import { useCreativeEdits } from "@/hooks/use-creative-edits";
import { useJobStream } from "@/hooks/use-job-stream";
import { AD_FORMATS, DEFAULT_FORMAT, outputSize, type AdFormatId } from "@/lib/ad-formats";
import type { ProviderId, ProviderOption } from "@/lib/campaign";
import type { Design } from "@/lib/design";
import { CampaignForm, type CampaignFormValues, type ProviderChoice } from "./campaign-form";
import { CreativeGrid } from "./creative-grid";
import { GenerationStatus } from "./generation-status";

interface CreativeGeneratorProps {
  providers: ProviderOption[];
  defaultProvider: ProviderId;
  initialValues?: Partial<CampaignFormValues>;
  /** Opened from history or after a reload: follow (or replay) this job. */
  initialJobId?: string;
}

const EDIT_DEBOUNCE_MS = 350;

export function CreativeGenerator({ providers, defaultProvider, initialValues, initialJobId }: CreativeGeneratorProps) {
  const { state, summary, start, stop, retry, regenerate, moreLikeThis, resume, addFormat, applyImages, designApplied, currentJobId } = useJobStream(initialJobId);
  const { applyDesign, setLayout, setCopy, editState } = useCreativeEdits({ currentJobId, applyImages, designApplied });
  const running = isActive(state.phase);
  // The set by format, in the order the server makes them; each slot's shape is known from the
  // request before the server answers, so skeletons already have their final shape.
  const groups = useMemo(() => {
    const byFormat = new Map<AdFormatId, Slot[]>();
    for (const slot of state.slots) {
      const format = formatOfSlot(state, slot) ?? DEFAULT_FORMAT;
      byFormat.set(format, [...(byFormat.get(format) ?? []), slot]);
    }
    return [...byFormat].map(([format, slots]) => ({ format, slots }));
  }, [state]);
  const notes = useMemo(() => providerNotes(state), [state.slots]); // eslint-disable-line react-hooks/exhaustive-deps
  // "Retry with …": after a failure the marketer may pick another provider in the form; retries use it.
  const [choice, setChoice] = useState<ProviderChoice>();
  const run = state.run;
  const switchTo = choice && run && (choice.provider !== run.provider || (choice.model && choice.model !== run.model)) ? choice : undefined;
  const using = useMemo(() => (switchTo ? { provider: switchTo.provider, model: switchTo.model } : undefined), [switchTo?.provider, switchTo?.model]); // eslint-disable-line react-hooks/exhaustive-deps
  const actions = useMemo(
    () => ({ retry: (index: number) => retry(index, using), regenerate, moreLikeThis, setLayout, setCopy, retryLabel: switchTo ? `Retry with ${switchTo.label}` : "Retry" }),
    [retry, regenerate, moreLikeThis, setLayout, setCopy, using, switchTo?.label], // eslint-disable-line react-hooks/exhaustive-deps
  );

  // Brand and copy edits re-composite the finished creatives in place (debounced while typing).
  const pendingEdit = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const canEdit = !running && summary.succeeded > 0;
  const canEditRef = useRef(canEdit);
  useEffect(() => {
    canEditRef.current = canEdit;
  }, [canEdit]);
  // Stable, so the memoised form does not re-render for every streamed event.
  const onDesignChange = useCallback(
    (design: Design) => {
      if (!canEditRef.current) return;
      clearTimeout(pendingEdit.current);
      pendingEdit.current = setTimeout(() => applyDesign(design), EDIT_DEBOUNCE_MS);
    },
    [applyDesign],
  );
  // A format ticked for a finished set is made for it too, beside the formats it has.
  const setFormatsRef = useRef<AdFormatId[]>([]);
  useEffect(() => {
    setFormatsRef.current = groups.map((group) => group.format);
  }, [groups]);
  const onFormatAdded = useCallback(
    (format: AdFormatId) => {
      if (canEditRef.current && !setFormatsRef.current.includes(format)) addFormat(format);
    },
    [addFormat],
  );
  useEffect(() => () => clearTimeout(pendingEdit.current), []);

  // Bring the results into view when a run starts: on a phone the grid sits below the long form;
  // beside the form it scrolls on its own, back to the status line.
  const results = useRef<HTMLElement>(null);
  const generate = useCallback<typeof start>(
    (request) => {
      start(request);
      const panel = results.current;
      if (!panel) return;
      if (window.matchMedia("(max-width: 820px)").matches) panel.scrollIntoView({ behavior: "smooth", block: "start" });
      else panel.scrollTo({ top: 0 });
    },
    [start],
  );
  const firstDone = state.slots.find((slot) => slot.status === "done");
  const previewSrc = canEdit && firstDone?.status === "done" ? firstDone.image.thumbUrl : undefined;
  const previewAlt = firstDone ? `Creative ${firstDone.index + 1}, as edited` : "";
  const preview = useMemo(() => (previewSrc ? { src: previewSrc, alt: previewAlt } : undefined), [previewSrc, previewAlt]);

  return (
    <div className="generator">
      <CampaignForm
        providers={providers}
        defaultProvider={defaultProvider}
        initialValues={initialValues}
        running={running}
        onGenerate={generate}
        onStop={stop}
        onDesignChange={onDesignChange}
        onFormatAdded={onFormatAdded}
        preview={preview}
        onChoiceChange={setChoice}
      />
      <section className="results" aria-label="Creatives" ref={results}>
        <GenerationStatus phase={state.phase} summary={summary} problem={state.problem} notes={notes} jobId={state.run?.jobId} onResume={() => resume(using)} switchToLabel={switchTo?.label} />
        {/* The line keeps its place from the first frame, so the grid does not move when the run ends. */}
        {state.slots.length > 0 && (
          <p className={`edit-status edit-status--${editState.status}`} aria-live="polite" data-testid="edit-status">
            {!canEdit
              ? ""
              : editState.status === "saving"
                ? "Updating creatives…"
                : editState.status === "saved"
                  ? "Creatives updated with your latest brand and copy."
                  : editState.status === "error"
                    ? editState.message
                    : "Tip: edit brand, copy or layout and these creatives update instantly; tick another format to add it."}
          </p>
        )}
        {state.slots.length === 0 && !state.problem && !running && (
          <p className="empty-hint">
            Fill in the brief and press <strong>Generate Creatives</strong>. Images appear here the moment each one is ready.
          </p>
        )}
        {groups.map(({ format, slots }) => {
          const size = outputSize(format);
          const grid = (
            <CreativeGrid
              key={format}
              slots={slots}
              width={size.width}
              height={size.height}
              label={groups.length > 1 ? `Generated creatives, ${AD_FORMATS[format].label}` : "Generated creatives"}
              productName={state.run?.brief.productName ?? ""}
              jobId={state.run?.jobId}
              design={state.run?.design}
              variants={state.run?.variants}
              canAct={!running}
              actions={actions}
            />
          );
          // One format shows its grid as before; several show one titled grid each.
          return groups.length === 1 ? (
            grid
          ) : (
            <section key={format} className="format-group" aria-labelledby={`format-group-${format}`}>
              <h3 id={`format-group-${format}`} className="format-group__title">
                {AD_FORMATS[format].label} <span className="format-group__size">{size.width}×{size.height}</span>
              </h3>
              {grid}
            </section>
          );
        })}
      </section>
    </div>
  );
}
