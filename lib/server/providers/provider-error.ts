import "server-only";
import type { ErrorCode } from "@/lib/events";

/**
 * A provider failure, classified so the retry policy can decide without knowing providers.
 * `message` is shown to the marketer, so it names the fix and never contains secrets.
 */
const BRAND = Symbol.for("ad-creative-generator.provider-error");

export class ProviderError extends Error {
  /**
   * Next bundles each route separately, so one error can cross copies of this module and
   * `instanceof` would lie; a global symbol brand does not.
   */
  static is(value: unknown): value is ProviderError {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  readonly [BRAND] = true;
  readonly code: ErrorCode;
  readonly status?: number;
  /** Seconds the provider says the model needs to load (HF 503 `estimated_time`). */
  readonly estimatedTimeSec?: number;
  /** Milliseconds from `Retry-After`. */
  readonly retryAfterMs?: number;
  /**
   * Nothing else in this run can succeed either (an account out of credit, which every route
   * bills): no other route is tried, and images not started yet fail with this at once.
   */
  readonly endsRun: boolean;

  constructor(
    code: ErrorCode,
    message: string,
    details: { status?: number; estimatedTimeSec?: number; retryAfterMs?: number; cause?: unknown; endsRun?: boolean } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "ProviderError";
    this.code = code;
    this.status = details.status;
    this.estimatedTimeSec = details.estimatedTimeSec;
    this.retryAfterMs = details.retryAfterMs;
    this.endsRun = details.endsRun ?? false;
  }
}

/** Parses `Retry-After` (seconds or HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Maps an HTTP failure from any provider onto our codes. */
export function errorFromHttpStatus(
  providerLabel: string,
  status: number,
  detail: string | undefined,
  extra: { estimatedTimeSec?: number; retryAfterMs?: number; tokenVariable?: string; paymentFix?: string } = {},
): ProviderError {
  const suffix = detail ? `: ${detail.slice(0, 200)}` : "";
  if (status === 402) {
    const fix = extra.paymentFix ? ` ${extra.paymentFix}` : "";
    return new ProviderError("payment_required", `${providerLabel} needs payment (HTTP 402)${suffix}.${fix}`, { status });
  }
  if (status === 404 || ((status === 400 || status === 422) && detail && /not (be )?supported|no (inference )?provider|not available/i.test(detail))) {
    return new ProviderError("unsupported", `${providerLabel} does not serve this model (HTTP ${status})${suffix}`, { status });
  }
  if (status === 401 || status === 403) {
    const fix = extra.tokenVariable
      ? ` Check ${extra.tokenVariable} in .env.local (it must be a valid token with inference permission).`
      : "";
    return new ProviderError("auth", `${providerLabel} refused the credentials (HTTP ${status}).${fix}`, { status });
  }
  if (status === 429) {
    return new ProviderError("rate_limited", `${providerLabel} is rate limiting requests (HTTP 429)${suffix}`, {
      status,
      retryAfterMs: extra.retryAfterMs,
    });
  }
  if (status === 503 && extra.estimatedTimeSec !== undefined) {
    return new ProviderError("model_loading", `${providerLabel} is warming up the model${suffix}`, {
      status,
      estimatedTimeSec: extra.estimatedTimeSec,
    });
  }
  if (status >= 400 && status < 500) {
    return new ProviderError("bad_request", `${providerLabel} rejected the request (HTTP ${status})${suffix}`, { status });
  }
  return new ProviderError("provider_error", `${providerLabel} failed (HTTP ${status})${suffix}`, { status });
}
