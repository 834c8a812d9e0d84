import "server-only";
import type { Redis } from "ioredis";

const WATCHED = "acg:watched";
const REFRESH_MS = 1_000;
// Removes the job only if its score is still the stale one seen: no instance refreshed it meanwhile.
const REMOVE_IF_UNCHANGED = `local score = redis.call("zscore", KEYS[1], ARGV[1])
if score and tonumber(score) <= tonumber(ARGV[2]) then return redis.call("zrem", KEYS[1], ARGV[1]) end
return 0`;

/**
 * Who is watching running jobs, across every web instance: a Redis sorted set of running jobs
 * scored by when a viewer was last seen on any instance. Each instance refreshes the jobs it has
 * viewers of every second; a job nobody has watched for the orphan grace is cancelled by
 * whichever instance notices first (its ZREM wins). An instance that dies stops refreshing, and
 * the page that reconnects elsewhere refreshes again.
 */
export class ViewerPresence {
  private timer: ReturnType<typeof setInterval> | undefined;
  private reaping = false;
  /** Called with each job found unwatched for the grace (set by the web instance that stops it). */
  onOrphaned: (jobId: string) => void = () => {};

  /** Since when this instance's connection has been up: scores are only trusted once every instance had time to refresh them. */
  private upSince: number;

  constructor(
    private readonly redis: Redis,
    private readonly graceMs: number,
    private readonly watchedHere: () => string[],
    private readonly now: () => number = Date.now,
  ) {
    this.upSince = now();
    // Back from a Redis outage, every score is as old as the outage: none of them says "nobody
    // watches". This instance says at once what it watches, and decides nothing until every
    // instance (each reconnecting at its own pace) had a whole grace to do the same.
    redis.on("ready", () => {
      this.upSince = this.now();
      void this.refresh().catch(() => {});
    });
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), REFRESH_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** A run began: it counts as watched now, and is tracked until it ends. */
  async runStarted(jobId: string): Promise<void> {
    await this.redis.zadd(WATCHED, this.now(), jobId);
  }

  async runEnded(jobId: string): Promise<void> {
    await this.redis.zrem(WATCHED, jobId);
  }

  /** A viewer attached here (tracked runs only: XX never adds a job that is not running). */
  async seen(jobId: string): Promise<void> {
    await this.redis.zadd(WATCHED, "XX", "GT", this.now(), jobId);
  }

  private async refresh(): Promise<void> {
    const watched = this.watchedHere();
    if (watched.length === 0) return;
    const now = this.now();
    await this.redis.zadd(WATCHED, "XX", "GT", ...watched.flatMap((jobId) => [now, jobId]));
  }

  private async tick(): Promise<void> {
    try {
      await this.refresh();
    } catch (error) {
      console.error("[presence] could not refresh viewers:", error instanceof Error ? error.message : error);
      return;
    }
    if (this.reaping || this.now() - this.upSince < this.graceMs + 2 * REFRESH_MS) return;
    this.reaping = true;
    try {
      const found = await this.redis.zrangebyscore(WATCHED, "-inf", this.now() - this.graceMs, "WITHSCORES", "LIMIT", 0, 100);
      if (found.length === 0) return;
      // A stale score is a reason to look again, not yet to stop: every instance gets two more
      // refreshes to say it still has a viewer (a slow loop, a connection just back).
      await new Promise((resolve) => setTimeout(resolve, 2 * REFRESH_MS + 500));
      for (let i = 0; i < found.length; i += 2) {
        const jobId = found[i]!;
        if ((await this.redis.eval(REMOVE_IF_UNCHANGED, 1, WATCHED, jobId, found[i + 1]!)) === 1) this.onOrphaned(jobId);
      }
    } catch (error) {
      console.error("[presence] could not look for runs nobody watches:", error instanceof Error ? error.message : error);
    } finally {
      this.reaping = false;
    }
  }

}
