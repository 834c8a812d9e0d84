"use client";

import { memo, useState } from "react";
import type { Slot } from "@/hooks/generation-state";
import { ElapsedTimer } from "./elapsed-timer";

const PROVIDER_NAMES = { huggingface: "Hugging Face", pollinations: "Pollinations", builtin: "Built-in" } as const;

interface CreativeCardProps {
  slot: Slot;
  width: number;
  height: number;
  productName: string;
  canRetry: boolean;
  onRetry: (index: number) => void;
}

/** One image of the batch, from skeleton to finished creative. Memoised: it re-renders only when its own slot changes. */
export const CreativeCard = memo(function CreativeCard({ slot, width, height, productName, canRetry, onRetry }: CreativeCardProps) {
  const number = slot.index + 1;
  return (
    <li className={`creative-card creative-card--${slot.status}`} data-testid="creative-slot" data-status={slot.status} aria-label={`Creative ${number}`}>
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
          <div className="skeleton" aria-hidden="true">
            <span className="spinner" />
            <span className="skeleton__label">{slot.message}</span>
            {slot.status !== "queued" && <ElapsedTimer since={slot.startedAt} />}
          </div>
        )}
      </div>
      <div className="creative-meta">
        {slot.status === "done" ? (
          <>
            <p className="creative-meta__prompt" title={slot.image.prompt}>{slot.image.prompt}</p>
            <dl className="creative-meta__facts">
              <div><dt>Seed</dt><dd>{slot.image.seed}</dd></div>
              <div><dt>Provider</dt><dd>{PROVIDER_NAMES[slot.image.provider]}</dd></div>
              <div><dt>Time</dt><dd>{(slot.image.elapsedMs / 1000).toFixed(1)} s</dd></div>
            </dl>
            <a className="link-button" href={slot.image.url} download={`${slugify(productName)}-${number}.${extensionOf(slot.image.mimeType)}`}>
              Download<span className="visually-hidden"> image {number}</span>
            </a>
          </>
        ) : slot.status === "failed" || slot.status === "stopped" ? (
          <button type="button" className="button button--secondary" onClick={() => onRetry(slot.index)} disabled={!canRetry}>
            Retry<span className="visually-hidden"> image {number}</span>
          </button>
        ) : (
          <p className="creative-meta__status">Image {number}: {slot.status === "queued" ? "queued" : slot.message}</p>
        )}
      </div>
    </li>
  );
});

function CreativeImage({ slot, alt }: { slot: Extract<Slot, { status: "done" }>; alt: string }) {
  const [loaded, setLoaded] = useState(false);
  const { image } = slot;
  return (
    // The blurred placeholder paints in the same frame as the event; the real image fades in over it.
    <div className="creative-image" style={{ backgroundImage: `url("${image.placeholder}")` }}>
      {/* eslint-disable-next-line @next/next/no-img-element -- generated files are already sized; next/image would re-encode them */}
      <img
        src={image.url}
        alt={alt}
        width={image.width}
        height={image.height}
        decoding="async"
        className={loaded ? "is-loaded" : undefined}
        data-ready-at={image.readyAt}
        onLoad={() => {
          setLoaded(true);
          performance.mark(`creative-loaded-${image.index}`, { detail: { readyAt: image.readyAt, url: image.url } });
        }}
      />
    </div>
  );
}

function slugify(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40) || "creative";
}

function extensionOf(mimeType: string): string {
  return mimeType === "image/jpeg" ? "jpg" : mimeType === "image/webp" ? "webp" : "png";
}
