import "server-only";
import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { RUN_WINDOW_MS, type RunLimiter, type Taken } from "../limits/run-limiter";

/**
 * The sliding minute as a sorted set of start times, checked and added to in one script, so two
 * web instances taking the last place at the same moment cannot both get it.
 */
const TAKE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[3]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, oldest[2]}
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {1, 0}
`;

/** Every web instance counts the same runs: a token's limit holds however many serve it. */
export class RedisRunLimiter implements RunLimiter {
  constructor(private readonly redis: Redis) {}

  async take(key: string, limit: number, now: number): Promise<Taken> {
    const [allowed, oldest] = (await this.redis.eval(TAKE, 1, `acg:runs:${key}`, now, limit, RUN_WINDOW_MS, `${now}:${randomBytes(6).toString("hex")}`)) as [number, string | number];
    if (allowed === 1) return { ok: true };
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((Number(oldest) + RUN_WINDOW_MS - now) / 1000)) };
  }
}
