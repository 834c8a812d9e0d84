"use client";

import { apiPaths } from "@/lib/api-paths";
import { isActive, type Phase, type Summary } from "@/hooks/generation-state";

interface GenerationStatusProps {
  phase: Phase;
  summary: Summary;
  problem?: string;
  /** What the provider was asked and did not do, once each (see `providerNotes`). */
  notes?: { message: string; creatives: number }[];
  jobId?: string;
  /** Makes every image that is not done (interrupted, failed or stopped) again. */
  onResume: () => void;
  /** Set when another provider is chosen in the form: the retries use it. */
  switchToLabel?: string;
}

/** Progress bar, the announced status line, and what can be done with the whole job. */
export function GenerationStatus({ phase, summary, problem, notes = [], jobId, onResume, switchToLabel }: GenerationStatusProps) {
  const active = isActive(phase);
  const share = (n: number) => (summary.total === 0 ? 0 : (n / summary.total) * 100);
  return (
    <section className="generation-status" aria-label="Generation status">
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
      {summary.total > 0 && (
        // Coloured by outcome: ready images in one colour, failed ones in red, so "4 of 4 failed" never looks like success.
        <div
          className={`progress ${active ? "progress--active" : "progress--ended"}`}
          role="progressbar"
          aria-label="Images finished"
          aria-valuemin={0}
          aria-valuemax={summary.total}
          aria-valuenow={summary.finished}
          aria-valuetext={summary.text}
        >
          <div className="progress__bar progress__bar--ready" data-testid="progress-ready" style={{ width: `${share(summary.succeeded)}%` }} />
          <div className="progress__bar progress__bar--failed" data-testid="progress-failed" style={{ width: `${share(summary.failed)}%` }} />
        </div>
      )}
      {notes.length > 0 && (
        <ul className="provider-notes" aria-label="What the provider did not do as asked" data-testid="provider-notes">
          {notes.map((note) => (
            <li key={note.message}>
              {note.message}
              {note.creatives < summary.succeeded ? ` (${note.creatives} of ${summary.succeeded} creatives)` : ""}
            </li>
          ))}
        </ul>
      )}
      <div className="status-row">
        <p className={`status-text ${phase === "reconnecting" ? "status-text--warning" : ""}`} aria-live="polite" aria-atomic="true" data-testid="status-text">
          {summary.text}
        </p>
        {!active && jobId && (
          <div className="status-actions">
            {phase === "interrupted" && summary.succeeded + summary.failed < summary.total ? (
              <button type="button" className="button button--small button--primary" onClick={onResume}>
                {switchToLabel ? `Resume with ${switchToLabel}` : "Resume"}
              </button>
            ) : (
              summary.failed + summary.stopped > 0 && (
                // The way out of a failed set: all of it again, with the provider chosen now.
                <button type="button" className="button button--small button--primary" onClick={onResume}>
                  {retryAllLabel(summary.failed, summary.stopped, switchToLabel)}
                </button>
              )
            )}
            {summary.succeeded > 0 && (
              <>
                <a className="button button--small" href={apiPaths.jobDownload(jobId)} download title="Every ad as the JPEG most ad platforms take, with creatives.csv for ads managers">
                  Download all
                </a>
                <a className="button button--small" href={apiPaths.jobDownload(jobId, "png")} download title="Every ad as a lossless PNG, with creatives.csv for ads managers">
                  All as PNG
                </a>
              </>
            )}
          </div>
        )}
      </div>
    </section>
  );
}

function retryAllLabel(failed: number, stopped: number, switchToLabel?: string): string {
  const what = `${failed + stopped} ${stopped === 0 ? "failed" : failed === 0 ? "stopped" : "unfinished"}`;
  return switchToLabel ? `Retry the ${what} with ${switchToLabel}` : `Retry the ${what}`;
}
