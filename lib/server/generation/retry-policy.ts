import "server-only";
import type { ErrorCode } from "@/lib/events";
import type { ProviderError } from "../providers/provider-error";

/**
 * Which failures are worth another attempt, how long to wait, and what to tell the marketer.
 * Pure, so every rule is unit-tested without a provider.
 */

export const RETRY_LIMITS: Partial<Record<ErrorCode, number>> = {
  model_loading: 3,
  rate_limited: 3,
  network: 2,
  provider_error: 2,
};

export const MAX_LOADING_WAIT_MS = 30_000;
const MAX_BACKOFF_MS = 60_000;

export type RetryDecision = { retry: true; delayMs: number; message: string } | { retry: false };

/**
 * @param retriesUsed how many retries this image already spent on the same kind of failure
 * @param random 0..1, injectable for tests
 */
export function decideRetry(error: ProviderError, retriesUsed: number, random: () => number = Math.random): RetryDecision {
  const limit = RETRY_LIMITS[error.code] ?? 0;
  if (retriesUsed >= limit) return { retry: false };
  const next = `(retry ${retriesUsed + 1} of ${limit})`;

  switch (error.code) {
    case "model_loading": {
      const delayMs = Math.min((error.estimatedTimeSec ?? 20) * 1000, MAX_LOADING_WAIT_MS);
      return { retry: true, delayMs, message: `Model is warming up, retrying in ${seconds(delayMs)} ${next}` };
    }
    case "rate_limited": {
      // Honour Retry-After, plus jitter so parallel images do not return in lock-step.
      const base = error.retryAfterMs ?? 1000 * 2 ** retriesUsed;
      const delayMs = Math.min(base + Math.round(random() * 1000), MAX_BACKOFF_MS);
      return { retry: true, delayMs, message: `Provider is busy (rate limited), retrying in ${seconds(delayMs)} ${next}` };
    }
    case "network":
    case "provider_error": {
      const delayMs = Math.round(500 * 2 ** retriesUsed * (0.5 + random()));
      const what = error.code === "network" ? "Connection problem" : "Provider error";
      return { retry: true, delayMs, message: `${what}, retrying in ${seconds(delayMs)} ${next}` };
    }
    default:
      return { retry: false };
  }
}

/** Whether a final failure is worth a manual Retry by the marketer. */
export function isRetryable(code: ErrorCode): boolean {
  return code !== "auth" && code !== "bad_request" && code !== "unsupported";
}

/**
 * Whether an image that failed on one route (Inference Provider) should move on to the next one.
 * A bad token or a full disk fails the same way everywhere; anything a provider alone decided
 * (payment, support, load, a broken answer) may go better elsewhere.
 */
export function shouldTryNextRoute(code: ErrorCode): boolean {
  return code !== "auth" && code !== "storage" && code !== "cancelled";
}

const ROUTE_FAILURE: Record<ErrorCode, string> = {
  auth: "token refused",
  bad_request: "request refused",
  rate_limited: "still rate limited",
  payment_required: "payment required",
  unsupported: "model not supported",
  model_loading: "model still loading",
  provider_error: "failed",
  network: "unreachable",
  timeout: "no answer in time",
  bad_image: "sent a broken image",
  storage: "could not be saved",
  cancelled: "cancelled",
};

/** The progress line when an image moves on: "fal-ai: payment required, trying nscale". */
export function nextRouteMessage(failedRoute: string, code: ErrorCode, nextRoute: string): string {
  return `${failedRoute}: ${ROUTE_FAILURE[code]}, trying ${nextRoute}`;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}
