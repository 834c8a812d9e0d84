import "server-only";

/**
 * The one error the core gives the edge: a code saying what kind of trouble it is, and a message
 * saying what to do about it. Statuses are chosen in one table at the edge
 * (`http/error-response.ts`), never here.
 */
export type AppErrorCode =
  /** The input is wrong in a way the schema could not see (a field names something that does not fit). */
  | "invalid"
  /** What is needed is not configured or not offered here (a provider without its key). */
  | "unavailable"
  /** Nobody is signed in, and no API token was sent. */
  | "unauthenticated"
  /** An API token was sent, but it does not work (revoked, or its owner left). */
  | "bad-token"
  /** Signed in, but this is not theirs to do. */
  | "forbidden"
  /** Nothing with that id, or one of another workspace (answered alike, so ids cannot be probed). */
  | "not-found"
  /** The thing is in a state that does not allow it now (still running, already there, full). */
  | "conflict"
  /** An upload or body over its limit. */
  | "too-large"
  /** An upload of a kind we cannot read. */
  | "unsupported-media"
  /** Too many in a minute, here or at a provider. */
  | "rate-limited"
  /** A provider answered with an error or nonsense. */
  | "upstream"
  /** The server is stopping: ask again after the restart. */
  | "shutting-down"
  /** A provider did not answer in time. */
  | "timeout"
  /** Nothing could be saved: the disk is full. */
  | "disk-full";

export interface ErrorIssue {
  path: string;
  message: string;
}

export interface AppErrorDetails {
  /** The request field it concerns, when one does ("writer", "design.logoId"). */
  field?: string;
  /** Several fields at once (each line of copy too long for a platform). */
  issues?: ErrorIssue[];
  /** For "rate-limited" and "shutting-down": when asking again can succeed. */
  retryAfterSeconds?: number;
}

/**
 * Next bundles each route on its own, so one process can hold several copies of this module (the
 * copy writers, made once, come from another route's copy than the one catching). The brand makes
 * `instanceof AppError` true for an AppError of any copy.
 */
const BRAND = Symbol.for("ad-creative-generator.app-error");

export class AppError extends Error {
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  readonly [BRAND] = true;
  readonly code: AppErrorCode;
  readonly field?: string;
  readonly issues?: ErrorIssue[];
  readonly retryAfterSeconds?: number;

  constructor(code: AppErrorCode, message: string, details: AppErrorDetails = {}) {
    super(message);
    this.name = "AppError";
    this.code = code;
    if (details.field !== undefined) this.field = details.field;
    if (details.issues !== undefined) this.issues = details.issues;
    if (details.retryAfterSeconds !== undefined) this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/** A result that may fail, for adapters whose failure is an expected answer (a copy writer's draft). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: AppError };

export const failure = (code: AppErrorCode, message: string, field?: string): { ok: false; error: AppError } => ({ ok: false, error: new AppError(code, message, field ? { field } : {}) });

/** The value of an outcome, or its error thrown: where a use case passes an adapter's failure on. */
export function valueOf<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}
