import "server-only";

/**
 * One writer per job: every change to a job (a run or rerun starting, an edit, a delete) runs
 * through `run(jobId, …)`, and changes to the same job run one after another.
 */
export interface JobLock {
  run<T>(jobId: string, change: () => Promise<T>): Promise<T>;
}

/** In one process: a queue per job, in the order the changes came (distributed: `RedisJobLock`). */
export class JobWriters implements JobLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(jobId: string, change: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(jobId) ?? Promise.resolve();
    const result = previous.then(change, change);
    const tail = result.catch(() => undefined);
    this.tails.set(jobId, tail);
    void tail.then(() => {
      if (this.tails.get(jobId) === tail) this.tails.delete(jobId);
    });
    return result;
  }
}
