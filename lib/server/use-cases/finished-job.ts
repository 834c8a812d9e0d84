import "server-only";
import type { EditDeps } from "../jobs/edit-creatives";
import type { JobRecord } from "../storage/job-records";
import { AppError } from "./app-error";
import type { UseCaseContext } from "./use-case-context";

/** A job whose creatives may be edited: it exists and is not generating. */
export async function finishedJob(context: Pick<UseCaseContext, "repo" | "jobs">, jobId: string): Promise<JobRecord> {
  const job = await context.repo.getJob(jobId);
  if (!job) throw new AppError("not-found", "No job with that id.");
  if (await context.jobs.isRunning(job.id)) throw new AppError("conflict", "This job is still generating: edit its creatives when it has finished.");
  return job;
}

/** What re-compositing needs; edits may name only uploads of the job's own workspace. */
export function editDeps(context: UseCaseContext, workspaceId: string): EditDeps {
  const { work, jobs, uploadsIn } = context;
  return { ...uploadsIn(workspaceId), work, appendEvent: (jobId, event) => jobs.appendEvent(jobId, event), now: context.now };
}

/** The index of a finished creative of the job, or a not-found error. */
export function finishedIndex(job: JobRecord, index: number): number {
  const image = job.images.find((each) => each.index === index);
  if (!image || image.status !== "done" || !image.fileId) throw new AppError("not-found", "This job has no finished image with that number.");
  return index;
}
