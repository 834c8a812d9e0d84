import "server-only";

/** The window runs are counted in. */
export const RUN_WINDOW_MS = 60_000;

export type Taken = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * Counts the runs a caller (a token, an address) starts in a sliding minute, and says whether
 * one more may start: in this process (embedded), or in Redis, shared by every web instance.
 */
export interface RunLimiter {
  take(key: string, limit: number, now: number): Promise<Taken>;
}

const MAX_KEYS = 10_000;

/** One process's count: enough when it is the only one serving. */
export class InProcessRunLimiter implements RunLimiter {
  private readonly starts = new Map<string, number[]>();

  async take(key: string, limit: number, now: number): Promise<Taken> {
    const recent = (this.starts.get(key) ?? []).filter((time) => now - time < RUN_WINDOW_MS);
    if (recent.length >= limit) {
      this.starts.set(key, recent);
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((recent[0]! + RUN_WINDOW_MS - now) / 1000)) };
    }
    recent.push(now);
    // Re-inserted, so the map's order is least recently used first and the oldest key goes first.
    this.starts.delete(key);
    this.starts.set(key, recent);
    if (this.starts.size > MAX_KEYS) this.starts.delete(this.starts.keys().next().value!);
    return { ok: true };
  }
}
