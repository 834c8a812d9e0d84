import "server-only";
import pLimit from "p-limit";

/**
 * Where image work runs, at most so many at once. Today one process runs it (p-limit); the
 * scale-out issue puts a shared queue behind the same interface.
 */
export interface WorkQueue {
  run<T>(work: () => Promise<T>): Promise<T>;
}

export function inProcessQueue(concurrency: number): WorkQueue {
  const limit = pLimit(concurrency);
  return { run: (work) => limit(work) };
}
