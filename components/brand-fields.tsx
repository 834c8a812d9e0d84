"use client";

import type { ReactNode } from "react";
import { LAYOUTS, LAYOUT_IDS, type CopyKey, type Design, type LayoutId } from "@/lib/design";
import type { CopyLimits } from "@/lib/platform-copy";
import { describedBy, FieldError } from "./field-error";
import { LengthCounter } from "./length-counter";
import { LOGO_UPLOAD, PRODUCT_UPLOAD, UploadField } from "./upload-field";

/** The design fields typed by hand; their ids are `${idPrefix}-${key}` and their errors `design.${key}`. */
export const BRAND_FIELD_KEYS = ["brandName", "primaryColor", "secondaryColor", "headline", "subline", "cta", "primaryText", "description", "landingUrl"] as const;

interface BrandFieldsProps {
  idPrefix: string;
  design: Design;
  onChange: (design: Design) => void;
  /** Messages by path ("design.headline"), shown under their fields. */
  errors: Record<string, string | undefined>;
  /** A finished creative kept in sight while the copy is edited (on a narrow screen the grid is far below). */
  preview?: { src: string; alt: string };
  /** Each line's limit on the chosen formats' platforms. */
  limits: CopyLimits;
  /** Where it says which platforms set the limits: "Limits of Instagram feed". */
  limitsNote: string;
  /** The copy writer, shown above the lines it drafts. */
  copyWriter?: ReactNode;
}

/** Brand kit and ad copy. The text is set by us over the picture, so it is always spelled right. */
export function BrandFields({ idPrefix, design, onChange, errors, preview, limits, limitsNote, copyWriter }: BrandFieldsProps) {
  const set = <K extends keyof Design>(key: K, value: Design[K]) => onChange({ ...design, [key]: value });
  const id = (name: string) => `${idPrefix}-${name}`;
  const error = (key: (typeof BRAND_FIELD_KEYS)[number]) => errors[`design.${key}`];
  /** A copy field's hint is its length against its limit. */
  const counted = (key: CopyKey) => describedBy(id(key), error(key), `${id(key)}-count`);
  const counter = (key: CopyKey) => <LengthCounter id={`${id(key)}-count`} value={design[key] ?? ""} limit={limits[key]} />;
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
        <label htmlFor={id("brandName")}>Brand name</label>
        <input id={id("brandName")} value={design.brandName} onChange={(e) => set("brandName", e.target.value)} {...counted("brandName")} />
        {counter("brandName")}
        <FieldError id={`${id("brandName")}-error`} message={error("brandName")} />
      </div>
      <div className="field-row">
        <ColourField id={id("primaryColor")} label="Primary colour" value={design.primaryColor} error={error("primaryColor")} onChange={(value) => set("primaryColor", value)} />
        <ColourField id={id("secondaryColor")} label="Button colour" value={design.secondaryColor} error={error("secondaryColor")} onChange={(value) => set("secondaryColor", value)} />
      </div>
      <UploadField kind={LOGO_UPLOAD} value={design.logoId} onChange={(logoId) => set("logoId", logoId)} />
      <UploadField kind={PRODUCT_UPLOAD} value={design.productId ?? null} onChange={(productId) => set("productId", productId)} />
      {copyWriter}
      <p className="field-note">{limitsNote}</p>
      <div className="field">
        <label htmlFor={id("headline")}>Headline</label>
        <input id={id("headline")} value={design.headline} onChange={(e) => set("headline", e.target.value)} {...counted("headline")} />
        {counter("headline")}
        <FieldError id={`${id("headline")}-error`} message={error("headline")} />
      </div>
      <div className="field">
        <label htmlFor={id("subline")}>Subline</label>
        <textarea id={id("subline")} rows={2} value={design.subline} onChange={(e) => set("subline", e.target.value)} {...counted("subline")} />
        {counter("subline")}
        <FieldError id={`${id("subline")}-error`} message={error("subline")} />
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={id("cta")}>Call to action</label>
          <input id={id("cta")} value={design.cta} onChange={(e) => set("cta", e.target.value)} {...counted("cta")} />
          {counter("cta")}
          <FieldError id={`${id("cta")}-error`} message={error("cta")} />
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
      <div className="field">
        <label htmlFor={id("primaryText")}>Primary text</label>
        <textarea id={id("primaryText")} rows={3} value={design.primaryText ?? ""} onChange={(e) => set("primaryText", e.target.value)} {...counted("primaryText")} />
        {counter("primaryText")}
        <FieldError id={`${id("primaryText")}-error`} message={error("primaryText")} />
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={id("description")}>Description</label>
          <input id={id("description")} value={design.description ?? ""} onChange={(e) => set("description", e.target.value)} {...counted("description")} />
          {counter("description")}
          <FieldError id={`${id("description")}-error`} message={error("description")} />
        </div>
        <div className="field">
          <label htmlFor={id("landingUrl")}>Landing page</label>
          <input id={id("landingUrl")} type="url" inputMode="url" placeholder="https://" value={design.landingUrl ?? ""} onChange={(e) => set("landingUrl", e.target.value)} {...describedBy(id("landingUrl"), error("landingUrl"))} />
          <FieldError id={`${id("landingUrl")}-error`} message={error("landingUrl")} />
        </div>
      </div>
    </fieldset>
  );
}

function ColourField({ id, label, value, error, onChange }: { id: string; label: string; value: string; error?: string; onChange: (value: string) => void }) {
  const valid = /^#[0-9a-fA-F]{6}$/.test(value);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="colour-field">
        {/* The picker shows the last valid colour while the hex is being typed. */}
        <input type="color" aria-label={`${label} picker`} value={valid ? value.toLowerCase() : "#000000"} onChange={(e) => onChange(e.target.value.toUpperCase())} />
        <input id={id} value={value} maxLength={7} spellCheck={false} autoComplete="off" onChange={(e) => onChange(e.target.value)} {...describedBy(id, error)} />
      </div>
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}
