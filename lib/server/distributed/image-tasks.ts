import "server-only";
import type { JobsOptions } from "bullmq";
import type { ProviderId } from "@/lib/campaign";
import type { LayoutId } from "@/lib/design";
import type { GenerationPlan } from "../generation/runner";
import type { ProviderRegistry } from "../providers/registry";

/**
 * The unit of work in distributed mode: one image of one run of one job. A run's images are
 * separate tasks, so they spread over every worker; each provider has its own queue, so a limit
 * on one provider (its queue's global concurrency) holds across all workers without slowing
 * the others.
 */
export interface ImageTask {
  jobId: string;
  run: number;
  index: number;
  plan: Omit<GenerationPlan, "provider"> & { providerId: ProviderId };
  /** The creative's own layout when it has one (a regenerated creative keeps it). */
  layout: LayoutId | null;
}

export const queueName = (provider: ProviderId) => `images-${provider}`;

/** One id per image per run: adding a task twice is a no-op, and Stop can find what is waiting. */
export const taskId = (jobId: string, run: number, index: number) => `${runTaskPrefix(jobId, run)}${index}`;
export const runTaskPrefix = (jobId: string, run: number) => `${jobId}:${run}:`;

export function toTask(plan: GenerationPlan, run: number, index: number, layout: LayoutId | null): ImageTask {
  const { provider, ...rest } = plan;
  return { jobId: plan.jobId, run, index, plan: { ...rest, providerId: provider.id }, layout };
}

export function planOfTask(task: ImageTask, providers: Pick<ProviderRegistry, "get">): GenerationPlan {
  const { providerId, ...rest } = task.plan;
  return { ...rest, provider: providers.get(providerId) };
}

/**
 * The runner retries provider faults itself (the retry policy, the next route); the queue's own
 * attempts are for a worker that stopped or died with the task in hand.
 */
export const TASK_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: "fixed", delay: 1_000 },
  removeOnComplete: true,
  removeOnFail: { age: 24 * 3600 },
};
