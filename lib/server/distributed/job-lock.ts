import "server-only";
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { JobLock } from "../jobs/job-writers";

const HOLD_MS = 120_000;
const RETRY_MS = 20;
// Deletes the lock only if this holder still has it (it may have expired and been taken since).
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

/**
 * One writer per job across every web instance: the job's lock in Redis (SET NX with a token and
 * an expiry, so a holder that died frees it after two minutes at worst).
 */
export class RedisJobLock implements JobLock {
  constructor(private readonly redis: Redis) {}

  async run<T>(jobId: string, change: () => Promise<T>): Promise<T> {
    const key = `acg:lock:${jobId}`;
    const token = randomUUID();
    while ((await this.redis.set(key, token, "PX", HOLD_MS, "NX")) !== "OK") {
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
    try {
      return await change();
    } finally {
      await this.redis.eval(RELEASE, 1, key, token).catch(() => {});
    }
  }
}
