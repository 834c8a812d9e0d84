"use client";

import { COPY_LIMITS, LAYOUTS, LAYOUT_IDS, type Design, type LayoutId } from "@/lib/design";
import { LogoUpload } from "./logo-upload";

interface BrandFieldsProps {
  idPrefix: string;
  design: Design;
  onChange: (design: Design) => void;
  /** A finished creative kept in sight while the copy is edited (on a narrow screen the grid is far below). */
  preview?: { src: string; alt: string };
}

/** Brand kit and ad copy. The text is set by us over the picture, so it is always spelled right. */
export function BrandFields({ idPrefix, design, onChange, preview }: BrandFieldsProps) {
  const set = <K extends keyof Design>(key: K, value: Design[K]) => onChange({ ...design, [key]: value });
  const id = (name: string) => `${idPrefix}-${name}`;
  return (
    <fieldset className="fieldset">
      <legend>Brand &amp; copy</legend>
      {preview && (
        <div className="brand-preview" data-testid="brand-preview">
          {/* eslint-disable-next-line @next/next/no-img-element -- the stored WebP preview of a finished creative */}
          <img src={preview.src} alt={preview.alt} />
          <span>Updates as you edit</span>
        </div>
      )}
      <div className="field">
        <label htmlFor={id("brand")}>Brand name</label>
        <input id={id("brand")} required maxLength={COPY_LIMITS.brandName} value={design.brandName} onChange={(e) => set("brandName", e.target.value)} />
      </div>
      <div className="field-row">
        <ColourField id={id("primary")} label="Primary colour" value={design.primaryColor} onChange={(value) => set("primaryColor", value)} />
        <ColourField id={id("secondary")} label="Button colour" value={design.secondaryColor} onChange={(value) => set("secondaryColor", value)} />
      </div>
      <LogoUpload logoId={design.logoId} onChange={(logoId) => set("logoId", logoId)} />
      <div className="field">
        <label htmlFor={id("headline")}>Headline</label>
        <input id={id("headline")} required maxLength={COPY_LIMITS.headline} value={design.headline} onChange={(e) => set("headline", e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={id("subline")}>Subline</label>
        <textarea id={id("subline")} rows={2} maxLength={COPY_LIMITS.subline} value={design.subline} onChange={(e) => set("subline", e.target.value)} />
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={id("cta")}>Call to action</label>
          <input id={id("cta")} required maxLength={COPY_LIMITS.cta} value={design.cta} onChange={(e) => set("cta", e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={id("layout")}>Layout</label>
          <select id={id("layout")} value={design.layout} onChange={(e) => set("layout", e.target.value as LayoutId)}>
            {LAYOUT_IDS.map((layout) => (
              <option key={layout} value={layout}>
                {LAYOUTS[layout]}
              </option>
            ))}
          </select>
        </div>
      </div>
    </fieldset>
  );
}

function ColourField({ id, label, value, onChange }: { id: string; label: string; value: string; onChange: (value: string) => void }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="colour-field">
        <input type="color" aria-label={`${label} picker`} value={value} onChange={(e) => onChange(e.target.value.toUpperCase())} />
        <input id={id} value={value} pattern="#[0-9A-Fa-f]{6}" maxLength={7} spellCheck={false} onChange={(e) => onChange(e.target.value)} />
      </div>
    </div>
  );
}
