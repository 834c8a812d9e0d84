"use client";

import type { ModelOption, ProviderId, ProviderOption } from "@/lib/campaign";
import { servedBy } from "@/lib/providers-meta";

interface ProviderPickerProps {
  idPrefix: string;
  providers: ProviderOption[];
  provider: ProviderId;
  model: string;
  onProviderChange: (id: ProviderId) => void;
  onModelChange: (model: string) => void;
  onCheck: (id: ProviderId) => void;
  checking: boolean;
  checkProblem?: string;
}

/** The provider, the model it should use (with who serves it), and a credentials check. */
export function ProviderPicker({ idPrefix, providers, provider, model, onProviderChange, onModelChange, onCheck, checking, checkProblem }: ProviderPickerProps) {
  const selected = providers.find((option) => option.id === provider) ?? providers[0]!;
  const chosen = selected.models.find((option) => option.id === model);
  const unavailable = selected.models.filter((option) => !option.available);
  return (
    <>
      <fieldset className="field provider-choice">
        <legend>Image provider</legend>
        {providers.map((option) => (
          <label key={option.id} className={`provider-option ${option.available ? "" : "provider-option--disabled"}`}>
            <input
              type="radio"
              name="provider"
              value={option.id}
              checked={provider === option.id}
              disabled={!option.available}
              onChange={() => onProviderChange(option.id)}
              aria-describedby={`${idPrefix}-${option.id}-note`}
            />
            <span className="provider-option__name">{option.label}</span>
            <span id={`${idPrefix}-${option.id}-note`} className="provider-option__note">
              {option.available ? (option.models.length > 1 ? `${option.models.length} models` : option.model) : option.reason}
              {option.available && option.warning && (
                <span className="provider-option__warning" data-testid={`provider-warning-${option.id}`}>
                  {option.warning}
                </span>
              )}
            </span>
          </label>
        ))}
      </fieldset>
      {selected.available && (selected.models.length > 1 || (chosen && (!chosen.available || servedBy(chosen.routes)))) && (
        <div className="field">
          <label htmlFor={`${idPrefix}-model`}>Model</label>
          <select id={`${idPrefix}-model`} name="model" value={model} onChange={(e) => onModelChange(e.target.value)} aria-describedby={`${idPrefix}-model-note`}>
            {selected.models.map((option) => (
              <option key={option.id} value={option.id} disabled={!option.available} title={option.reason ?? option.id}>
                {optionText(option)}
              </option>
            ))}
          </select>
          <span id={`${idPrefix}-model-note`} className="field-note" data-testid="model-note">
            {modelNote(chosen)}
          </span>
          {unavailable.length > 0 && (
            <ul className="field-note unavailable-models" data-testid="unavailable-models">
              {unavailable.map((option) => (
                <li key={option.id}>{option.reason ?? `${option.label} is not available right now.`}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {selected.available && selected.checkable && (
        <div className="account-check">
          <button type="button" className="button button--small" onClick={() => onCheck(selected.id)} disabled={checking}>
            {checking ? "Checking…" : "Check"}
            <span className="visually-hidden"> the {selected.label} token</span>
          </button>
          <span role="status" className={`account-check__result ${selected.account ? (selected.account.ok ? "is-ok" : "is-bad") : ""}`}>
            {checkProblem ?? selected.account?.message ?? "Check that the token works and may call Inference Providers."}
          </span>
        </div>
      )}
    </>
  );
}

/** "black-forest-labs/FLUX.1-schnell — replicate, together": who serves each model, right in the list. */
function optionText(model: ModelOption): string {
  if (!model.available) return `${model.label} (unavailable)`;
  return servedBy(model.routes) ? `${model.label} — ${model.routes.join(", ")}` : model.label;
}

function modelNote(model: ModelOption | undefined): string {
  if (!model) return "";
  if (!model.available) return model.reason ?? "Not available right now.";
  if (model.routes.length === 0) return "Checking which providers serve it…";
  return servedBy(model.routes) ?? "";
}
