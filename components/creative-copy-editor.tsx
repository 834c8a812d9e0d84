"use client";

import { useId, useState, type FormEvent } from "react";
import { COPY_LINE_LABELS } from "@/lib/copy-writing";
import { COPY_LINES, type CopyLine, type Design } from "@/lib/design";
import type { CreativeVariant } from "@/lib/variants";

interface CreativeCopyEditorProps {
  index: number;
  design: Design;
  variant: CreativeVariant | null;
  disabled: boolean;
  onSave: (copy: Partial<Record<CopyLine, string>>) => void;
}

/**
 * This creative's own copy, edited alone: the lines it carries now (its own over the campaign's);
 * only the changed ones are sent. The server checks them against the platform's limits and the
 * card shows the re-composited ad, or the error under the grid.
 */
export function CreativeCopyEditor({ index, design, variant, disabled, onSave }: CreativeCopyEditorProps) {
  const ids = useId();
  const carried = Object.fromEntries(COPY_LINES.map((line) => [line, variant?.copy?.[line] ?? design[line] ?? ""])) as Record<CopyLine, string>;
  const [draft, setDraft] = useState(carried);
  // The fields exist only while open: a grid of closed menus must not hold dozens of "Headline" fields.
  const [open, setOpen] = useState(false);
  const changed = COPY_LINES.filter((line) => draft[line] !== carried[line]);
  const save = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (changed.length > 0) onSave(Object.fromEntries(changed.map((line) => [line, draft[line]])));
  };
  return (
    <details
      className="menu__prompt"
      onToggle={(event) => {
        const opened = event.currentTarget.open;
        setOpen(opened);
        if (opened) setDraft(carried);
      }}
    >
      <summary>Edit this creative&apos;s copy</summary>
      {open && (
      <form className="creative-copy" onSubmit={save} aria-label={`Copy of image ${index + 1}`}>
        {COPY_LINES.map((line) => (
          <div className="field" key={line}>
            <label htmlFor={`${ids}-${line}`}>{COPY_LINE_LABELS[line]}</label>
            {line === "primaryText" ? (
              <textarea id={`${ids}-${line}`} rows={3} value={draft[line]} onChange={(e) => setDraft({ ...draft, [line]: e.target.value })} />
            ) : (
              <input id={`${ids}-${line}`} value={draft[line]} onChange={(e) => setDraft({ ...draft, [line]: e.target.value })} />
            )}
          </div>
        ))}
        <button type="submit" className="button button--small button--primary" disabled={disabled || changed.length === 0}>
          Save copy<span className="visually-hidden"> of image {index + 1}</span>
        </button>
      </form>
      )}
    </details>
  );
}
