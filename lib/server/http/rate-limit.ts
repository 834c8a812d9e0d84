import "server-only";
import { appContext } from "../app-context";
import { env } from "../env";
import { AppError } from "../use-cases/app-error";

/**
 * Limits on starting runs (a sliding minute): per API token (TOKEN_RUNS_PER_MINUTE, on by
 * default: a script in a loop must not spend the provider budget), and per client address for
 * everyone else (RATE_LIMIT_RUNS_PER_MINUTE, off by default: local use should never hit it).
 * Counted by the app context's limiter: in process, or in Redis across web instances.
 */

export function clientKey(request: Request): string {
  // Behind a trusted proxy the first forwarded address is the client; otherwise the socket's
  // address, which `npm start` puts in X-Client-Address (a client cannot choose it).
  if (env().TRUST_PROXY) {
    const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  return request.headers.get("x-client-address") || "local";
}

/** Counts a run the caller starts; over its limit, throws a "rate-limited" error saying when to try again. */
export async function countRunStart(request: Request, caller: { tokenId?: string }, now = Date.now()): Promise<void> {
  const byToken = caller.tokenId !== undefined;
  const limit = byToken ? env().TOKEN_RUNS_PER_MINUTE : env().RATE_LIMIT_RUNS_PER_MINUTE;
  if (limit === 0) return;
  const taken = await appContext().runLimiter.take(byToken ? `token:${caller.tokenId}` : `address:${clientKey(request)}`, limit, now);
  if (taken.ok) return;
  const retryAfter = taken.retryAfterSeconds;
  throw new AppError("rate-limited", `Too many runs started${byToken ? " with this token" : ""}: at most ${limit} per minute. Try again in ${retryAfter} s.`, { retryAfterSeconds: retryAfter });
}
