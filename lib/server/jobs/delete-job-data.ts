import "server-only";
import { isDiskFull } from "../storage/disk-full";
import type { ImageStorage, JobRows } from "../storage/storage";

/**
 * Removes a stopped job's rows, then its files: a crash in between leaves files the sweep
 * removes, never a row whose file is gone. On a full disk (no room for the database to delete
 * in) the files go first to make room. Both the embedded and the distributed jobs delete so.
 */
export async function deleteJobData(deps: { repo: Pick<JobRows, "deleteJob">; store: Pick<ImageStorage, "remove"> }, jobId: string, files: readonly string[]): Promise<boolean> {
  try {
    const deleted = await deps.repo.deleteJob(jobId);
    await deps.store.remove(files);
    return deleted;
  } catch (error) {
    if (!isDiskFull(error)) throw error;
    await deps.store.remove(files);
    return deps.repo.deleteJob(jobId);
  }
}
