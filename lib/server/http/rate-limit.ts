import "server-only";
import { env } from "../env";
import { jsonError } from "./json-errors";

/**
 * Limits on starting runs (a sliding one-minute window): per API token (TOKEN_RUNS_PER_MINUTE,
 * on by default: a script in a loop must not spend the provider budget), and per client address
 * for everyone else (RATE_LIMIT_RUNS_PER_MINUTE, off by default: local use should never hit it).
 * Counted in this process: with several web instances each counts its own.
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

/** Returns a 429 response when the caller is over its limit, or null to go ahead (and counts the start). */
export function checkRunRateLimit(request: Request, caller: { tokenId?: string }, now = Date.now()): Response | null {
  const byToken = caller.tokenId !== undefined;
  const limit = byToken ? env().TOKEN_RUNS_PER_MINUTE : env().RATE_LIMIT_RUNS_PER_MINUTE;
  if (limit === 0) return null;
  const key = byToken ? `token:${caller.tokenId}` : `address:${clientKey(request)}`;
  const recent = (starts.get(key) ?? []).filter((time) => now - time < WINDOW_MS);
  if (recent.length >= limit) {
    const retryAfter = Math.max(1, Math.ceil((recent[0]! + WINDOW_MS - now) / 1000));
    starts.set(key, recent);
    return jsonError(429, `Too many runs started${byToken ? " with this token" : ""}: at most ${limit} per minute. Try again in ${retryAfter} s.`, undefined, { "Retry-After": String(retryAfter) });
  }
  recent.push(now);
  starts.delete(key);
  starts.set(key, recent);
  if (starts.size > MAX_CLIENTS) starts.delete(starts.keys().next().value!);
  return null;
}
