import "server-only";
import type { Caller } from "../auth/caller";
import { requireOwnedJob } from "./find-job";
import type { UseCaseContext } from "./use-case-context";

/** Stops one of the caller's jobs; false when it was not running. Images already made are kept. */
export async function cancelJob(context: Pick<UseCaseContext, "repo" | "jobs">, caller: Caller, jobId: string): Promise<boolean> {
  await requireOwnedJob(context, caller, jobId);
  return context.jobs.cancel(jobId);
}
