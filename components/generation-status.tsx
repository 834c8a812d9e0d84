"use client";

import type { Phase, Summary } from "@/hooks/generation-state";

/** Progress bar plus the one-line status, announced politely to screen readers. */
export function GenerationStatus({ phase, summary, problem }: { phase: Phase; summary: Summary; problem?: string }) {
  const active = phase === "starting" || phase === "running";
  const percent = summary.total === 0 ? 0 : Math.round((summary.finished / summary.total) * 100);
  return (
    <section className="generation-status" aria-label="Generation status">
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
      {summary.total > 0 && (
        <div
          className={`progress ${active ? "progress--active" : ""}`}
          role="progressbar"
          aria-label="Images finished"
          aria-valuemin={0}
          aria-valuemax={summary.total}
          aria-valuenow={summary.finished}
        >
          <div className="progress__bar" style={{ width: `${percent}%` }} />
        </div>
      )}
      <p className="status-text" aria-live="polite" aria-atomic="true" data-testid="status-text">
        {summary.text}
      </p>
    </section>
  );
}
