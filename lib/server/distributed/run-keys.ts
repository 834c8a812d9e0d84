import "server-only";
import type { Redis } from "ioredis";
import type { ProviderId } from "@/lib/campaign";

/** What a Stop and the check for lost runs need to know of a run: where its tasks are, and which images it makes. */
export interface RunInfo {
  provider: ProviderId;
  indices: number[];
}

const RUN_INFO_TTL_S = 7 * 24 * 3600;
const runInfoKey = (jobId: string, run: number) => `acg:run:${jobId}:${run}`;

/** Set when a run is stopped; a worker that takes one of its tasks afterwards drops it unread. */
export const cancelKey = (jobId: string, run: number) => `acg:cancel:${jobId}:${run}`;
/** Where Stop is said to every worker at once, so the provider calls in flight are aborted. */
export const cancelChannel = "acg:cancel";

export async function writeRunInfo(redis: Redis, jobId: string, run: number, info: RunInfo): Promise<void> {
  await redis.set(runInfoKey(jobId, run), JSON.stringify(info), "EX", RUN_INFO_TTL_S);
}

export async function readRunInfo(redis: Redis, jobId: string, run: number): Promise<RunInfo | null> {
  const text = await redis.get(runInfoKey(jobId, run));
  return text ? (JSON.parse(text) as RunInfo) : null;
}
