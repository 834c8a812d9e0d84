"use client";

import { apiPaths } from "@/lib/api-paths";
import { memo, useState } from "react";
import type { Slot } from "@/hooks/generation-state";
import { LAYOUTS, LAYOUT_IDS, type CopyLine, type Design, type LayoutId } from "@/lib/design";
import type { CreativeVariant } from "@/lib/variants";
import { CreativeCopyEditor } from "./creative-copy-editor";
import { madeBy } from "@/lib/providers-meta";
import { CreativeMenu } from "./creative-menu";
import { CreativePreview } from "./creative-preview";
import { ElapsedTimer } from "./elapsed-timer";

export interface CreativeActions {
  retry: (index: number) => void;
  regenerate: (index: number) => void;
  moreLikeThis: (index: number) => void;
  setLayout: (index: number, layout: LayoutId) => void;
  /** This creative's own copy lines. */
  setCopy: (index: number, copy: Partial<Record<CopyLine, string>>) => void;
  /** "Retry", or "Retry with Built-in (offline)" when another provider is chosen in the form now. */
  retryLabel: string;
}

interface CreativeCardProps {
  slot: Slot;
  width: number;
  height: number;
  productName: string;
  jobId?: string;
  design?: Design;
  /** What this creative tests (its card says so), and its own copy. */
  variant: CreativeVariant | null;
  /** False while a run is active: one run per job at a time. */
  canAct: boolean;
  actions: CreativeActions;
}

/**
 * One image of the job, from skeleton to finished creative. The frame has the format's shape and
 * the strip below it one fixed height in every state, so a slot never changes size while the
 * batch streams in. Memoised: it re-renders only when its own slot changes.
 */
export const CreativeCard = memo(function CreativeCard({ slot, width, height, productName, jobId, design, variant, canAct, actions }: CreativeCardProps) {
  const number = slot.index + 1;
  return (
    <li className={`creative-card creative-card--${slot.status}`} data-testid="creative-slot" data-status={slot.status} aria-label={`Creative ${number}`}>
      {/* Always there (empty until the run says), so the card keeps one height from skeleton to ad. */}
      <p className="creative-variant" data-testid="variant-label" title={variant?.writer ? `Copy written by ${variant.writer === "offline" ? "the offline templates" : variant.writer === "openai" ? "OpenAI" : "Hugging Face"}` : undefined}>
        {variant ? (
          <>
            <span className="visually-hidden">Tests </span>
            {variant.label}
          </>
        ) : (
          " "
        )}
      </p>
      <div className="creative-frame" style={{ aspectRatio: `${width} / ${height}` }}>
        {slot.status === "done" ? (
          <CreativeImage slot={slot} alt={`Ad creative ${number} for ${productName}`} />
        ) : slot.status === "failed" ? (
          <div className="creative-frame__message" role="alert">
            <strong>Image {number} failed</strong>
            <span>{slot.error.message}</span>
          </div>
        ) : slot.status === "stopped" ? (
          <div className="creative-frame__message">
            <strong>Stopped</strong>
            <span>Image {number} was not generated.</span>
          </div>
        ) : (
          <>
            <div className="skeleton" aria-hidden="true">
              <span className="spinner" />
              <span className="skeleton__label">{slot.message}</span>
              {slot.status !== "queued" && <ElapsedTimer since={slot.startedAt} />}
            </div>
            {slot.status === "generating" && slot.preview && <CreativePreview index={slot.index} preview={slot.preview} />}
          </>
        )}
      </div>
      <div className="creative-meta">
        {slot.status === "done" ? (
          <>
            <p className="creative-meta__line">
              <span data-testid="made-by" title={slot.image.model}>
                {madeBy(slot.image.provider, slot.image.route)}
              </span>
              <span aria-label="Time to make">{(slot.image.elapsedMs / 1000).toFixed(1)} s</span>
            </p>
            <div className="creative-actions">
              <a className="button button--small button--primary" href={`${slot.image.url}?download=1`} download>
                Download<span className="visually-hidden"> image {number}</span>
              </a>
              <CreativeMenu label={`More actions for image ${number}`}>
                <div className="field field--inline">
                  <label htmlFor={`layout-${slot.index}`}>Layout</label>
                  <select id={`layout-${slot.index}`} value={slot.image.layout} disabled={!canAct} onChange={(e) => actions.setLayout(slot.index, e.target.value as LayoutId)}>
                    {LAYOUT_IDS.map((layout) => (
                      <option key={layout} value={layout}>{LAYOUTS[layout]}</option>
                    ))}
                  </select>
                </div>
                {jobId && (
                  <>
                    <a className="menu__item" href={apiPaths.jobExport(jobId, slot.index)} download title="Every platform format, lossless">
                      All formats (PNG)<span className="visually-hidden"> for image {number}</span>
                    </a>
                    <a className="menu__item" href={apiPaths.jobExport(jobId, slot.index, "jpg")} download title="Every platform format, smaller files">
                      All formats (JPG)<span className="visually-hidden"> for image {number}</span>
                    </a>
                  </>
                )}
                <a className="menu__item" href={`${slot.image.rawUrl}?download=1`} download title="The picture without brand or copy">
                  Background<span className="visually-hidden"> of image {number}</span>
                </a>
                <button type="button" className="menu__item" onClick={() => actions.regenerate(slot.index)} disabled={!canAct} title="Replace this image with a new seed">
                  Regenerate<span className="visually-hidden"> image {number}</span>
                </button>
                <button type="button" className="menu__item" onClick={() => actions.moreLikeThis(slot.index)} disabled={!canAct} title="Add an image with the same prompt and a new seed">
                  More like this<span className="visually-hidden"> (image {number})</span>
                </button>
                {design && <CreativeCopyEditor index={slot.index} design={design} variant={variant} disabled={!canAct} onSave={(copy) => actions.setCopy(slot.index, copy)} />}
                <details className="menu__prompt">
                  <summary>Prompt and seed</summary>
                  <p>{slot.image.prompt}</p>
                  <p>Seed {slot.image.seed}</p>
                </details>
              </CreativeMenu>
            </div>
          </>
        ) : slot.status === "failed" || slot.status === "stopped" ? (
          <>
            <p className="creative-meta__line">Image {number}: {slot.status === "failed" ? "failed" : "stopped"}</p>
            <div className="creative-actions">
              <button type="button" className="button button--small button--primary" onClick={() => actions.retry(slot.index)} disabled={!canAct}>
                {actions.retryLabel}
                <span className="visually-hidden"> image {number}</span>
              </button>
            </div>
          </>
        ) : (
          <p className="creative-meta__line creative-meta__status">Image {number}: {slot.status === "queued" ? "queued" : slot.message}</p>
        )}
      </div>
    </li>
  );
});

function CreativeImage({ slot, alt }: { slot: Extract<Slot, { status: "done" }>; alt: string }) {
  const [loaded, setLoaded] = useState(false);
  const { image } = slot;
  return (
    // What the slot showed before (the raw picture, or the ad before an edit) stays under the new ad
    // while it loads, over the blurred placeholder that paints in the same frame as the event.
    <a
      className="creative-image"
      href={image.url}
      target="_blank"
      rel="noreferrer"
      style={{ backgroundImage: [slot.previewUrl, image.placeholder].filter(Boolean).map((url) => `url("${url}")`).join(", ") }}
      title="Open full size"
    >
      {/* eslint-disable-next-line @next/next/no-img-element -- generated files are already sized; next/image would re-encode them */}
      <img
        src={image.thumbUrl}
        alt={alt}
        width={image.width}
        height={image.height}
        decoding="async"
        className={loaded ? "is-loaded" : undefined}
        data-ready-at={image.readyAt}
        onLoad={() => {
          setLoaded(true);
          performance.mark(`creative-loaded-${image.index}`, { detail: { readyAt: image.readyAt, providerDoneAt: image.providerDoneAt, url: image.thumbUrl } });
        }}
      />
    </a>
  );
}
