import "server-only";
import type { GenerateRequest } from "@/lib/campaign";
import type { WriteCopyInput } from "@/lib/copy-writing";
import type { Caller } from "../auth/caller";
import { planNewJob, type NewJobDeps } from "../jobs/plan-new-job";
import type { ViewerSink } from "../jobs/viewer-sink";
import { AppError } from "./app-error";
import type { UseCaseContext } from "./use-case-context";
import { writeCopy } from "./write-copy";

export interface RunOptions {
  /** The caller hung up: a copy draft still being written for the plan is dropped. */
  signal?: AbortSignal;
  /**
   * Called once the job is saved and its run is about to start: the viewer that follows it from
   * its first event (the API's stream), or none.
   */
  openViewer?: (jobId: string) => ViewerSink | undefined;
}

export const SHUTTING_DOWN = "The server is restarting: try again in a few seconds. Running jobs continue after the restart.";

/**
 * A new campaign: planned (provider, model, uploads, copy, prompts, seeds), saved, and started.
 * The job is durable before any viewer opens, so a full disk is an error the form can show, not a
 * broken stream.
 */
export async function startJob(context: UseCaseContext, caller: Caller, input: GenerateRequest, options: RunOptions = {}): Promise<{ jobId: string; viewer?: ViewerSink }> {
  const { jobs } = context;
  if (!jobs.accepting()) throw new AppError("shutting-down", SHUTTING_DOWN, { retryAfterSeconds: 5 });
  const { job, plan, assets } = await planNewJob(newJobDeps(context, caller, options.signal), input);
  await jobs.create(job);
  const viewer = options.openViewer?.(job.id);
  await jobs.start(plan, assets, viewer);
  return { jobId: job.id, ...(viewer ? { viewer } : {}) };
}

function newJobDeps(context: UseCaseContext, caller: Caller, signal: AbortSignal | undefined): NewJobDeps {
  const { copy } = context;
  const writeVariantCopy = (input: WriteCopyInput) =>
    writeCopy({ writers: copy.writers, timeoutMs: copy.timeoutMs, ...(copy.preferred ? { defaultWriter: copy.preferred } : {}), ...(signal ? { signal } : {}) }, input);
  return {
    ...context.uploadsIn(caller.workspaceId),
    workspaceId: caller.workspaceId,
    getProvider: (id) => context.providers.get(id),
    defaultProvider: context.providers.configured,
    now: context.now,
    writeCopy: writeVariantCopy,
  };
}
