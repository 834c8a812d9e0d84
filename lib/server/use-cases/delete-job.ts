import "server-only";
import type { Caller } from "../auth/caller";
import { AppError } from "./app-error";
import { requireOwnedJob } from "./find-job";
import type { UseCaseContext } from "./use-case-context";

/** Stops one of the caller's jobs if it runs, then removes its rows and files. */
export async function deleteJob(context: Pick<UseCaseContext, "repo" | "jobs">, caller: Caller, jobId: string): Promise<void> {
  await requireOwnedJob(context, caller, jobId);
  if (!(await context.jobs.delete(jobId))) throw new AppError("not-found", "No job with that id.");
}
