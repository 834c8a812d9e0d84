import "server-only";
import pLimit from "p-limit";

/**
 * Where work runs in one process, at most so many at once (p-limit): the job manager's provider
 * calls and finishing, a worker's composites, exports. Across processes, the distributed mode's
 * BullMQ queues (`distributed/image-tasks.ts`) share out the images instead.
 */
export interface WorkQueue {
  run<T>(work: () => Promise<T>): Promise<T>;
}

export function inProcessQueue(concurrency: number): WorkQueue {
  const limit = pLimit(concurrency);
  return { run: (work) => limit(work) };
}
