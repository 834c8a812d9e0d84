"use client";

import { useId, useState } from "react";
import type { SavedBrandKit } from "@/lib/brand-kits";
import type { CampaignBrief } from "@/lib/campaign";
import type { Design } from "@/lib/design";
import { useBrandKits } from "@/hooks/use-brand-kits";

interface BrandKitPickerProps {
  brief: CampaignBrief;
  design: Design;
  /** A kit was chosen: its brand and its brief replace the form's, together. */
  onChoose: (kit: SavedBrandKit) => void;
}

/**
 * Saved brand kits, one per client. Choosing one sets its brand, colours, logo, packshot and the
 * brief last saved with it, so a client's kit is never paired with another client's brief.
 */
export function BrandKitPicker({ brief, design, onChoose }: BrandKitPickerProps) {
  const ids = useId();
  const { kits, save, remove, problem } = useBrandKits();
  const [chosen, setChosen] = useState("");
  const [name, setName] = useState("");
  const [saved, setSaved] = useState<string | undefined>();
  const current = kits.find((kit) => kit.id === chosen);

  const choose = (id: string) => {
    setChosen(id);
    setSaved(undefined);
    const kit = kits.find((each) => each.id === id);
    if (kit) {
      setName(kit.name);
      onChoose(kit);
    }
  };
  const store = async () => {
    const kit = await save({ name: (name || design.brandName).trim(), brandName: design.brandName, primaryColor: design.primaryColor, secondaryColor: design.secondaryColor, logoId: design.logoId, productId: design.productId ?? null, brief });
    if (kit) {
      setChosen(kit.id);
      setName(kit.name);
      setSaved(`Saved "${kit.name}" with this brief.`);
    }
  };

  return (
    <section className="brand-kits" aria-label="Saved brand kits" data-testid="brand-kits">
      <div className="field">
        <label htmlFor={`${ids}-kit`}>Client brand kit</label>
        <select id={`${ids}-kit`} value={chosen} onChange={(event) => choose(event.target.value)}>
          <option value="">{kits.length === 0 ? "No saved kits yet" : "Choose a client…"}</option>
          {kits.map((kit) => (
            <option key={kit.id} value={kit.id}>{kit.name}</option>
          ))}
        </select>
      </div>
      <div className="brand-kits__save">
        <label className="visually-hidden" htmlFor={`${ids}-name`}>Kit name</label>
        <input id={`${ids}-name`} placeholder={design.brandName || "Kit name"} value={name} onChange={(event) => setName(event.target.value)} />
        <button type="button" className="button button--small" onClick={() => void store()}>
          Save brand kit
        </button>
        {current && (
          <button type="button" className="button button--small" onClick={() => void remove(current.id).then(() => setChosen(""))} aria-label={`Delete the brand kit ${current.name}`}>
            Delete
          </button>
        )}
      </div>
      <p className="field-note" role="status">
        {problem ?? saved ?? "A kit keeps the brand, colours, logo and packshot with its brief."}
      </p>
    </section>
  );
}
