import "server-only";
import type { Caller } from "../auth/caller";
import type { JobSummary } from "../storage/job-records";
import type { UseCaseContext } from "./use-case-context";

export interface JobPage {
  jobs: JobSummary[];
  /** Where the next page starts; absent on the last page. */
  next?: { createdAt: number; id: string };
}

/** One page of the caller's workspace's history, newest first. */
export function listJobs(context: Pick<UseCaseContext, "jobs">, caller: Caller, page: { limit: number; before?: { createdAt: number; id: string } }): Promise<JobPage> {
  return context.jobs.listJobs({ workspaceId: caller.workspaceId, limit: page.limit, ...(page.before ? { before: page.before } : {}) });
}
