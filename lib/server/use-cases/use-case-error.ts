import "server-only";

/**
 * What a use case answers when it cannot do what was asked: a value with a code, never a thrown
 * HTTP response. The message says what to do; `http/use-case-errors.ts` is the one place codes
 * become statuses.
 */
export type UseCaseErrorCode =
  /** The input is wrong in a way the schema could not see (a field names something that does not fit). */
  | "invalid"
  /** What is needed is not configured or not offered here (a provider without its key). */
  | "unavailable"
  /** A provider answered with an error or nonsense. */
  | "upstream"
  /** A provider asked us to slow down, or its quota is spent. */
  | "rate-limited"
  /** A provider did not answer in time. */
  | "timeout";

export interface UseCaseError {
  code: UseCaseErrorCode;
  message: string;
  /** The request field it concerns, when one does ("writer"). */
  path?: string;
  /** For "rate-limited": when asking again can succeed. */
  retryAfterSeconds?: number;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: UseCaseError };

export const failure = (code: UseCaseErrorCode, message: string, path?: string): { ok: false; error: UseCaseError } => ({ ok: false, error: { code, message, ...(path ? { path } : {}) } });
