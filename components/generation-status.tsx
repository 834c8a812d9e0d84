"use client";

import { isActive, type Phase, type Summary } from "@/hooks/generation-state";

interface GenerationStatusProps {
  phase: Phase;
  summary: Summary;
  problem?: string;
  jobId?: string;
  onResume: () => void;
}

/** Progress bar, the announced status line, and what can be done with the whole job. */
export function GenerationStatus({ phase, summary, problem, jobId, onResume }: GenerationStatusProps) {
  const active = isActive(phase);
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
      <div className="status-row">
        <p className={`status-text ${phase === "reconnecting" ? "status-text--warning" : ""}`} aria-live="polite" aria-atomic="true" data-testid="status-text">
          {summary.text}
        </p>
        {!active && jobId && (
          <div className="status-actions">
            {phase === "interrupted" && summary.succeeded + summary.failed < summary.total && (
              <button type="button" className="button button--small button--primary" onClick={onResume}>
                Resume
              </button>
            )}
            {summary.succeeded > 0 && (
              <a className="button button--small" href={`/api/jobs/${jobId}/download`} download>
                Download all
              </a>
            )}
          </div>
        )}
      </div>
    </section>
  );
}
