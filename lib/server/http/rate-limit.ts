import "server-only";
import { env } from "../env";
import { jsonError } from "./json-errors";

/**
 * Per-client limit on starting runs (a sliding one-minute window), off unless
 * RATE_LIMIT_RUNS_PER_MINUTE is set: local use should never hit it, a shared deployment should.
 */
const WINDOW_MS = 60_000;
const MAX_CLIENTS = 10_000;
const starts = new Map<string, number[]>();

export function clientKey(request: Request): string {
  // Behind a trusted proxy the first forwarded address is the client; otherwise the socket's
  // address, which `npm start` puts in X-Client-Address (a client cannot choose it).
  if (env().TRUST_PROXY) {
    const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  return request.headers.get("x-client-address") || "local";
}

/** Returns a 429 response when the client is over its limit, or null to go ahead (and counts the start). */
export function checkRunRateLimit(request: Request, now = Date.now()): Response | null {
  const limit = env().RATE_LIMIT_RUNS_PER_MINUTE;
  if (limit === 0) return null;
  const key = clientKey(request);
  const recent = (starts.get(key) ?? []).filter((time) => now - time < WINDOW_MS);
  if (recent.length >= limit) {
    const retryAfter = Math.max(1, Math.ceil((recent[0]! + WINDOW_MS - now) / 1000));
    starts.set(key, recent);
    return jsonError(429, `Too many runs started: at most ${limit} per minute. Try again in ${retryAfter} s.`, undefined, { "Retry-After": String(retryAfter) });
  }
  recent.push(now);
  starts.delete(key);
  starts.set(key, recent);
  if (starts.size > MAX_CLIENTS) starts.delete(starts.keys().next().value!);
  return null;
}
