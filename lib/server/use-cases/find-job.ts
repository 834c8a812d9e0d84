import "server-only";
import type { Caller } from "../auth/caller";
import type { JobRecord } from "../storage/job-records";
import { AppError } from "./app-error";
import type { UseCaseContext } from "./use-case-context";

const NO_SUCH_JOB = "No job with that id.";

/**
 * The jobs each caller was found to own. A caller is made per request, so this lives as long as
 * one request: the edge checks a job before it reads the body (a foreign job is a 404 first), and
 * the use case it calls, safe on its own (start-up, tests), does not ask the database again.
 */
const ownedThisRequest = new WeakMap<Caller, Set<string>>();

/**
 * Refuses a job of another workspace exactly as one that does not exist, so ids cannot be
 * probed. Every use case on a job starts here.
 */
export async function requireOwnedJob(context: Pick<UseCaseContext, "repo">, caller: Caller, jobId: string): Promise<void> {
  if (ownedThisRequest.get(caller)?.has(jobId)) return;
  if ((await context.repo.workspaceOfJob(jobId)) !== caller.workspaceId) throw new AppError("not-found", NO_SUCH_JOB);
  const owned = ownedThisRequest.get(caller) ?? new Set<string>();
  owned.add(jobId);
  ownedThisRequest.set(caller, owned);
}

/** One of the caller's jobs as the history shows it (a run a crash left behind is interrupted). */
export async function findJob(context: Pick<UseCaseContext, "repo" | "jobs">, caller: Caller, jobId: string): Promise<JobRecord> {
  await requireOwnedJob(context, caller, jobId);
  const job = await context.jobs.getJob(jobId);
  if (!job) throw new AppError("not-found", NO_SUCH_JOB);
  return job;
}
