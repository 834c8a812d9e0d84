"use client";

import { memo, useEffect, useId, useState, type FormEvent } from "react";
import { AD_FORMATS, AD_FORMAT_IDS, DEFAULT_FORMAT, type AdFormatId } from "@/lib/ad-formats";
import {
  DEFAULT_BRIEF,
  DEFAULT_COUNT,
  MAX_IMAGES,
  TONES,
  TONE_IDS,
  VISUAL_STYLES,
  VISUAL_STYLE_IDS,
  generateRequestSchema,
  type CampaignBrief,
  type GenerateRequest,
  type ProviderId,
  type ProviderOption,
  type Tone,
  type VisualStyle,
} from "@/lib/campaign";
import { BUILTIN_PRESETS, BUILTIN_PRESET_IDS, DEFAULT_DESIGN, type BuiltinPresetId, type Design } from "@/lib/design";
import { useFieldErrors } from "@/hooks/use-field-errors";
import { useProviderOptions } from "@/hooks/use-provider-options";
import { BRAND_FIELD_KEYS, BrandFields } from "./brand-fields";
import { describedBy, FieldError } from "./field-error";
import { ProviderPicker } from "./provider-picker";
import { CopyWriterPanel } from "./copy-writer-panel";
import { BrandKitPicker } from "./brand-kit-picker";
import { copyLimits, platformNames } from "@/lib/platform-copy";
import type { CopyLine } from "@/lib/design";
import type { SavedBrandKit } from "@/lib/brand-kits";
import { VARIANT_DIMENSIONS, VARIANT_DIMENSION_IDS, type VariantDimension } from "@/lib/variants";

export interface CampaignFormValues {
  brief: CampaignBrief;
  design: Design;
  /** The formats the set is made in, the first one first. */
  formats: AdFormatId[];
  count: number;
  /** What the set's creatives differ in. */
  variants?: VariantDimension;
  preset?: BuiltinPresetId;
  /** The model of the opened job, chosen again when it is still offered. */
  model?: string;
}

interface CampaignFormProps {
  providers: ProviderOption[];
  defaultProvider: ProviderId;
  /** Starting values (the opened job, or the last brand kit); defaults otherwise. */
  initialValues?: Partial<CampaignFormValues>;
  running: boolean;
  onGenerate: (request: GenerateRequest) => void;
  onStop: () => void;
  /** Called when brand, copy or layout change, so finished creatives can update in place. */
  onDesignChange?: (design: Design) => void;
  /** Called when a format is ticked, so a finished set can be made in it too. */
  onFormatAdded?: (format: AdFormatId) => void;
  /** A finished creative to show beside the copy fields while they are edited (narrow screens). */
  preview?: { src: string; alt: string };
  /** The provider and model chosen now, so a failed image can be retried with them. */
  onChoiceChange?: (choice: ProviderChoice) => void;
}

export interface ProviderChoice {
  provider: ProviderId;
  model: string;
  /** "Built-in (offline)", "Hugging Face" … as the form shows it. */
  label: string;
}

/** The campaign brief. Every field has a default, so the first click works untouched. */
/** Memoised: a running batch streams many events, and none of them changes the form. */
export const CampaignForm = memo(function CampaignForm({ providers: initialProviders, defaultProvider, initialValues, running, onGenerate, onStop, onDesignChange, onFormatAdded, preview, onChoiceChange }: CampaignFormProps) {
  const { providers, check, checking, problem: checkProblem } = useProviderOptions(initialProviders);
  const [brief, setBrief] = useState<CampaignBrief>(initialValues?.brief ?? DEFAULT_BRIEF);
  const [design, setDesign] = useState<Design>(initialValues?.design ?? DEFAULT_DESIGN);
  const [formats, setFormats] = useState<AdFormatId[]>(initialValues?.formats?.length ? initialValues.formats : [DEFAULT_FORMAT]);
  const [count, setCount] = useState(initialValues?.count ?? DEFAULT_COUNT);
  // A set that differs in everything is what a first look wants; one dimension is what an A/B test wants.
  const [variants, setVariants] = useState<VariantDimension>(initialValues?.variants ?? "all");
  const [provider, setProvider] = useState<ProviderId>(defaultProvider);
  // The model picked per provider; until then the provider's first available one.
  const [pickedModels, setPickedModels] = useState<Partial<Record<ProviderId, string>>>(initialValues?.model ? { [defaultProvider]: initialValues.model } : {});
  const [preset, setPreset] = useState<BuiltinPresetId>(initialValues?.preset ?? "auto");
  const ids = useId();

  const selected = providers.find((option) => option.id === provider);
  const picked = pickedModels[provider];
  const model = selected?.models.some((option) => option.id === picked && option.available) ? picked! : (selected?.model ?? "");
  const [format, ...moreFormats] = formats as [AdFormatId, ...AdFormatId[]];
  const request: GenerateRequest = { ...brief, format, ...(moreFormats.length > 0 ? { moreFormats } : {}), count, variants, provider, design, ...(model ? { model } : {}), ...(provider === "builtin" ? { preset } : {}) };
  const { errors, touch, revealAll } = useFieldErrors(generateRequestSchema, request);
  const choiceLabel = selected?.label ?? provider;
  useEffect(() => {
    onChoiceChange?.({ provider, model, label: choiceLabel });
  }, [provider, model, choiceLabel, onChoiceChange]);
  const fieldIds: Record<string, string> = {
    productName: `${ids}-product`,
    productDescription: `${ids}-description`,
    targetAudience: `${ids}-audience`,
    ...Object.fromEntries(BRAND_FIELD_KEYS.map((key) => [`design.${key}`, `${ids}-brand-${key}`])),
  };
  const a11y = (path: string) => describedBy(fieldIds[path]!, errors[path]);

  const update = <K extends keyof CampaignBrief>(key: K, value: CampaignBrief[K]) => {
    touch(key);
    setBrief((current) => ({ ...current, [key]: value }));
  };
  // Once another client's kit is chosen, the form no longer edits the creatives shown (another client's).
  const [detached, setDetached] = useState(false);
  const changeDesign = (next: Design) => {
    for (const key of Object.keys(next) as (keyof Design)[]) if (next[key] !== design[key]) touch(`design.${key}`);
    setDesign(next);
    if (!detached) onDesignChange?.(next);
  };
  const chooseKit = (kit: SavedBrandKit) => {
    setDetached(true);
    setBrief(kit.brief);
    setDesign((current) => ({ ...current, brandName: kit.brandName, primaryColor: kit.primaryColor, secondaryColor: kit.secondaryColor, logoId: kit.logoId, productId: kit.productId ?? null }));
  };
  // The first ticked stays first (the set's main format); the others follow in the list's order.
  const toggleFormat = (id: AdFormatId, on: boolean) => {
    setFormats((current) => (on ? [current[0]!, ...AD_FORMAT_IDS.filter((other) => other !== current[0] && (other === id || current.includes(other)))] : current.filter((other) => other !== id)));
    if (on && !detached) onFormatAdded?.(id);
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (running) return;
    const invalid = revealAll();
    if (invalid.length > 0) {
      // Every message shows under its field; the first field that needs fixing gets the focus.
      const first = invalid.map((path) => fieldIds[path]).find(Boolean);
      if (first) document.getElementById(first)?.focus();
      return;
    }
    // The new run is this kit's: edits reach its creatives again.
    setDetached(false);
    onGenerate(request);
  };

  return (
    <form className="campaign-form" onSubmit={submit} aria-labelledby={`${ids}-title`} noValidate>
      <h2 id={`${ids}-title`}>Campaign brief</h2>
      <BrandKitPicker brief={brief} design={design} onChoose={chooseKit} />
      <div className="field">
        <label htmlFor={`${ids}-product`}>Product name</label>
        <input id={`${ids}-product`} name="productName" value={brief.productName} onChange={(e) => update("productName", e.target.value)} {...a11y("productName")} />
        <FieldError id={`${ids}-product-error`} message={errors.productName} />
      </div>
      <div className="field">
        <label htmlFor={`${ids}-description`}>Product description</label>
        <textarea id={`${ids}-description`} name="productDescription" rows={3} value={brief.productDescription} onChange={(e) => update("productDescription", e.target.value)} {...a11y("productDescription")} />
        <FieldError id={`${ids}-description-error`} message={errors.productDescription} />
      </div>
      <div className="field">
        <label htmlFor={`${ids}-audience`}>Target audience</label>
        <input id={`${ids}-audience`} name="targetAudience" value={brief.targetAudience} onChange={(e) => update("targetAudience", e.target.value)} {...a11y("targetAudience")} />
        <FieldError id={`${ids}-audience-error`} message={errors.targetAudience} />
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${ids}-style`}>Visual style</label>
          <select id={`${ids}-style`} name="style" value={brief.style} onChange={(e) => update("style", e.target.value as VisualStyle)}>
            {VISUAL_STYLE_IDS.map((id) => (
              <option key={id} value={id}>{VISUAL_STYLES[id]}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-tone`}>Tone</label>
          <select id={`${ids}-tone`} name="tone" value={brief.tone} onChange={(e) => update("tone", e.target.value as Tone)}>
            {TONE_IDS.map((id) => (
              <option key={id} value={id}>{TONES[id]}</option>
            ))}
          </select>
        </div>
      </div>
      <fieldset className="field field--formats" aria-describedby={`${ids}-format-hint`}>
        <legend>Ad formats</legend>
        <div className="format-choices">
          {AD_FORMAT_IDS.map((id) => {
            const ticked = formats.includes(id);
            return (
              <label key={id} className="format-choice" title={AD_FORMATS[id].hint}>
                {/* The last ticked format cannot be unticked: a set has at least one. */}
                <input type="checkbox" name="formats" value={id} checked={ticked} disabled={ticked && formats.length === 1} onChange={(e) => toggleFormat(id, e.target.checked)} />
                <span>{AD_FORMATS[id].label}</span>
                <span className="format-choice__size">{AD_FORMATS[id].width}×{AD_FORMATS[id].height}</span>
              </label>
            );
          })}
        </div>
        <span id={`${ids}-format-hint`} className="field-note">
          {formats.length > 1 ? `Every creative is made in all ${formats.length} formats, each its own picture at that size.` : "Tick several to make the set in each of them."} Ticking a format after a run adds it to the finished set.
        </span>
      </fieldset>
      <div className="field field--count">
        <label htmlFor={`${ids}-count`}>Number of images</label>
        {/* A list, not a number box: typing or deleting can never turn 3 into 13 or snap to 1. */}
        <select id={`${ids}-count`} name="count" value={count} onChange={(e) => setCount(Number(e.target.value))}>
          {Array.from({ length: MAX_IMAGES }, (_, i) => i + 1).map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${ids}-variants`}>The creatives differ in</label>
        <select id={`${ids}-variants`} name="variants" value={variants} onChange={(e) => setVariants(e.target.value as VariantDimension)} aria-describedby={`${ids}-variants-hint`}>
          {VARIANT_DIMENSION_IDS.map((id) => (
            <option key={id} value={id}>{VARIANT_DIMENSIONS[id]}</option>
          ))}
        </select>
        <span id={`${ids}-variants-hint`} className="field-note">
          {variants === "picture" || count < 2 ? "Each card says what it tests." : "The first keeps your copy and layout; each card says what it tests."}
        </span>
      </div>
      <BrandFields
        idPrefix={`${ids}-brand`}
        design={design}
        onChange={changeDesign}
        preview={preview}
        errors={errors}
        limits={copyLimits(formats)}
        limitsNote={`Counted against what ${platformNames(formats)} show${platformNames(formats).includes(" and ") ? "" : "s"} before cutting a line.`}
        copyWriter={<CopyWriterPanel brief={brief} design={design} formats={formats} onUse={(lines: Partial<Record<CopyLine, string>>) => changeDesign({ ...design, ...lines })} />}
      />
      <ProviderPicker
        idPrefix={ids}
        providers={providers}
        provider={provider}
        model={model}
        onProviderChange={setProvider}
        onModelChange={(next) => setPickedModels((current) => ({ ...current, [provider]: next }))}
        onCheck={(id) => void check(id)}
        checking={checking !== null}
        checkProblem={checkProblem}
      />
      {provider === "builtin" && (
        <div className="field">
          <label htmlFor={`${ids}-preset`}>Built-in look</label>
          <select id={`${ids}-preset`} value={preset} onChange={(e) => setPreset(e.target.value as BuiltinPresetId)}>
            {BUILTIN_PRESET_IDS.map((id) => (
              <option key={id} value={id}>{BUILTIN_PRESETS[id]}</option>
            ))}
          </select>
        </div>
      )}
      <div className="form-actions">
        {/* Distinct keys: reusing one <button> would turn it into a submit button mid-click and restart the run. */}
        {running ? (
          <button key="stop" id="generate" type="button" className="button button--stop" onClick={onStop}>
            Stop
          </button>
        ) : (
          <button key="generate" id="generate" type="submit" className="button button--primary">
            Generate Creatives
          </button>
        )}
      </div>
    </form>
  );
});
