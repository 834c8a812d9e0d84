import "server-only";
import type { Caller } from "../auth/caller";
import { planRerun, type RerunRequest } from "../jobs/plan-rerun";
import type { ViewerSink } from "../jobs/viewer-sink";
import { AppError } from "./app-error";
import { requireOwnedJob } from "./find-job";
import { SHUTTING_DOWN, type RunOptions } from "./start-job";
import type { UseCaseContext } from "./use-case-context";

/**
 * Another run on one of the caller's jobs: resume, retry, regenerate, more like this, or the set
 * in another format. Planned from the job as the change before it left it, and started before the
 * next change to the job may look at it (one writer per job).
 */
export async function rerunJob(
  context: UseCaseContext,
  caller: Caller,
  jobId: string,
  request: RerunRequest,
  options: Omit<RunOptions, "signal"> & { /** A resume nobody watches (the start-up's) goes on without a viewer. */ keepWithoutViewer?: boolean } = {},
): Promise<{ jobId: string; images: number; viewer?: ViewerSink }> {
  const { jobs, repo, store } = context;
  await requireOwnedJob(context, caller, jobId);
  if (!jobs.accepting()) throw new AppError("shutting-down", SHUTTING_DOWN, { retryAfterSeconds: 5 });
  return jobs.exclusive(jobId, async () => {
    const planned = await planRerun({ repo, store, isRunning: (id) => jobs.isRunning(id), getProvider: (id) => context.providers.get(id) }, jobId, request);
    const { job, stored, plan, targets, assets } = planned;
    if (job.provider !== stored.provider || job.model !== stored.model) await repo.updateProvider(job.id, job.provider, job.model);
    const viewer = options.openViewer?.(job.id);
    await jobs.rerun(job, plan, targets, assets, viewer, options.keepWithoutViewer ? { keepWithoutViewer: true } : undefined);
    return { jobId: job.id, images: targets.length, ...(viewer ? { viewer } : {}) };
  });
}
