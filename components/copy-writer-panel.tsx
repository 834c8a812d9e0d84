"use client";

import { useId, useState } from "react";
import type { AdFormatId } from "@/lib/ad-formats";
import type { CampaignBrief } from "@/lib/campaign";
import { COPY_ANGLES, COPY_ANGLE_IDS, COPY_LINE_LABELS, type CopyAngle, type CopyWriterId } from "@/lib/copy-writing";
import { COPY_LINES, type CopyLine, type Design } from "@/lib/design";
import { useCopyWriter } from "@/hooks/use-copy-writer";

interface CopyWriterPanelProps {
  brief: CampaignBrief;
  design: Design;
  formats: AdFormatId[];
  /** A drafted line taken into its field, where it can still be edited. */
  onUse: (lines: Partial<Record<CopyLine, string>>) => void;
}

/**
 * "Write copy for me": drafts every line from the brief in the chosen angle, each within the
 * platform's limit. Each line is used (into its field, still editable), or written again alone.
 */
export function CopyWriterPanel({ brief, design, formats, onUse }: CopyWriterPanelProps) {
  const ids = useId();
  const { writers, state, write } = useCopyWriter();
  const [angle, setAngle] = useState<CopyAngle>("benefit");
  const available = writers.filter((writer) => writer.available);
  const [picked, setPicked] = useState<CopyWriterId | undefined>();
  const writer = available.find((option) => option.id === picked) ?? available[0];
  const answer = state.status === "written" ? state.answer : state.status === "error" ? state.answer : undefined;
  const busy = state.status === "writing";

  const current = Object.fromEntries(COPY_LINES.map((line) => [line, design[line] ?? ""]));
  const request = (lines?: CopyLine[]) => ({ brief, brandName: design.brandName, formats, angle, ...(writer ? { writer: writer.id } : {}), current: lines && answer ? { ...current, ...answer.lines } : current, ...(lines ? { lines } : {}) });

  return (
    <section className="copy-writer" aria-labelledby={`${ids}-title`} data-testid="copy-writer">
      <h3 id={`${ids}-title`} className="copy-writer__title">Copy writer</h3>
      <div className="copy-writer__controls">
        <div className="field">
          <label htmlFor={`${ids}-angle`}>Angle</label>
          <select id={`${ids}-angle`} value={angle} onChange={(event) => setAngle(event.target.value as CopyAngle)}>
            {COPY_ANGLE_IDS.map((id) => (
              <option key={id} value={id}>{COPY_ANGLES[id]}</option>
            ))}
          </select>
        </div>
        {available.length > 1 && (
          <div className="field">
            <label htmlFor={`${ids}-writer`}>Written by</label>
            <select id={`${ids}-writer`} value={writer?.id} onChange={(event) => setPicked(event.target.value as CopyWriterId)}>
              {available.map((option) => (
                <option key={option.id} value={option.id}>{option.model ? `${option.label} · ${option.model}` : option.label}</option>
              ))}
            </select>
          </div>
        )}
        <button type="button" className="button" disabled={busy} onClick={() => void write(request())}>
          {busy && !state.line ? "Writing…" : answer ? "Write a new draft" : "Write copy for me"}
        </button>
      </div>
      {available.length === 1 && writer && <p className="field-note">Written by {writer.label}. Set HF_TOKEN or OPENAI_API_KEY to write with a text model.</p>}
      {state.status === "error" && (
        <p className="field-error" role="alert">
          {state.message}
        </p>
      )}
      {answer && (
        <>
          <ul className="copy-writer__lines" aria-label="Drafted copy">
            {COPY_LINES.filter((line) => answer.lines[line] !== undefined).map((line) => {
              const text = answer.lines[line]!;
              const used = (design[line] ?? "").trim() === text.trim();
              return (
                <li key={line} className="copy-writer__line" data-testid={`drafted-${line}`}>
                  <span className="copy-writer__label">
                    {COPY_LINE_LABELS[line]} <span className="length-counter">{text.length} / {answer.limits[line]}</span>
                  </span>
                  <span className="copy-writer__text">{text}</span>
                  <span className="copy-writer__actions">
                    <button type="button" className="button button--small" disabled={used} onClick={() => onUse({ [line]: text })} aria-label={`Use this ${COPY_LINE_LABELS[line].toLowerCase()}`}>
                      {used ? "In use" : "Use"}
                    </button>
                    <button type="button" className="button button--small" disabled={busy} onClick={() => void write(request([line]), answer)} aria-label={`Write the ${COPY_LINE_LABELS[line].toLowerCase()} again`}>
                      {busy && state.line === line ? "Writing…" : "Write again"}
                    </button>
                  </span>
                </li>
              );
            })}
          </ul>
          <div className="copy-writer__footer">
            <button type="button" className="button button--small" onClick={() => onUse(answer.lines)}>
              Use all
            </button>
            <span className="field-note">
              {answer.writer.model ? `${answer.writer.label} · ${answer.writer.model}` : answer.writer.label}, {COPY_ANGLES[answer.angle].toLowerCase()} angle
            </span>
          </div>
          {answer.notes.map((note) => (
            <p key={note} className="field-note">{note}</p>
          ))}
        </>
      )}
    </section>
  );
}
