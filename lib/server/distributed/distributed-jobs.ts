import "server-only";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { ProviderId } from "@/lib/campaign";
import type { LayoutId } from "@/lib/design";
import type { BrandAssets } from "../branding/brand-assets";
import { announceRun, type GenerationPlan } from "../generation/runner";
import type { ViewerSink } from "../jobs/viewer-sink";
import type { JobEvent } from "../storage/logged-events";
import type { JobLock } from "../jobs/job-writers";
import type { RerunTarget } from "../jobs/plan-rerun";
import { rerunLayouts, slotLayout } from "../generation/slot-design";
import type { Jobs, SubscribeResult } from "../jobs/jobs";
import { HeldSink, replayLog } from "../jobs/replay-log";
import type { Previews } from "../previews/preview-store";
import { deleteJobData } from "../jobs/delete-job-data";
import type { JobRecord, NewJob } from "../storage/job-records";
import type { ImageStorage, JobStore } from "../storage/storage";
import { TASK_OPTIONS, taskId, toTask } from "./image-tasks";
import type { RedisFanOut } from "./redis-fan-out";
import { cancelChannel, cancelKey, readRunInfo, writeRunInfo } from "./run-keys";
import type { ViewerPresence } from "./viewer-presence";

export interface DistributedJobsDeps {
  repo: JobStore;
  store: ImageStorage;
  redis: Redis;
  fanOut: RedisFanOut;
  presence: ViewerPresence;
  lock: JobLock;
  queue: (provider: ProviderId) => Queue;
  previews: Previews;
  /** Provider calls in flight across all workers, per provider (a one-at-a-time provider: 1). */
  globalConcurrency: number;
  now?: () => number;
}

/** How long a Stop waits for the workers holding the run's images to let go of them. */
const STOP_WAIT_MS = 15_000;
/** How often one web instance looks for runs whose tasks are gone (a lost queue, tasks that failed for good). */
const RECONCILE_EVERY_MS = 5_000;
/** A run younger than this is left alone by that check: its tasks may still be on their way. */
const RECONCILE_AFTER_MS = 10_000;

/**
 * Jobs in distributed mode, as a web instance sees them: a run is its `start` event in the
 * Postgres log and one queued task per image; workers anywhere make the images and record them;
 * every web instance follows any job through Redis (`RedisFanOut`). Stop, orphan grace and
 * delete reach the workers through Redis; the run's `done` is recorded exactly once, by the
 * worker that settles its last image, by a Stop, or by the check for runs whose tasks are gone.
 */
export class DistributedJobs implements Jobs {
  readonly previews: Previews;
  private draining = false;
  private readonly reconcileTimer: ReturnType<typeof setInterval>;
  private readonly now: () => number;

  constructor(private readonly deps: DistributedJobsDeps) {
    this.previews = deps.previews;
    this.now = deps.now ?? Date.now;
    this.reconcileTimer = setInterval(() => void this.reconcile(), RECONCILE_EVERY_MS);
    this.reconcileTimer.unref();
  }

  create(job: NewJob): Promise<void> {
    return this.deps.repo.createJob(job);
  }

  async start(plan: GenerationPlan, _assets: BrandAssets, firstViewer?: ViewerSink): Promise<void> {
    await this.launch(plan, 1, new Map(), firstViewer);
  }

  async rerun(job: JobRecord, plan: GenerationPlan, images: RerunTarget[], _assets: BrandAssets, firstViewer?: ViewerSink): Promise<void> {
    const layouts = rerunLayouts(job.images, images);
    const { replaced, run } = await this.deps.repo.prepareRerun(job.id, images, this.now());
    void this.deps.store.remove(replaced);
    await this.launch(plan, run, layouts, firstViewer);
  }

  private async launch(plan: GenerationPlan, run: number, layouts: Map<number, LayoutId | null>, firstViewer?: ViewerSink): Promise<void> {
    const { repo, fanOut, presence, redis } = this.deps;
    if (firstViewer) await fanOut.add(plan.jobId, firstViewer);
    await presence.runStarted(plan.jobId);
    await writeRunInfo(redis, plan.jobId, run, { provider: plan.provider.id, indices: plan.indices });
    const events: JobEvent[] = [];
    announceRun(plan, (event) => void events.push(event));
    for (const event of events) {
      const { id } = await repo.recordEvent(plan.jobId, event, this.now());
      fanOut.publish(plan.jobId, id, event);
    }
    const queue = this.deps.queue(plan.provider.id);
    await queue.setGlobalConcurrency(plan.concurrency ?? this.deps.globalConcurrency);
    await queue.addBulk(plan.indices.map((index) => ({ name: "image", data: toTask(plan, run, index, slotLayout(plan, index, layouts.get(index))), opts: { ...TASK_OPTIONS, jobId: taskId(plan.jobId, run, index) } })));
  }

  async appendEvent(jobId: string, event: JobEvent): Promise<void> {
    void this.deps.store.remove((await this.deps.repo.recordEvent(jobId, event, this.now())).replaced);
  }

  exclusive<T>(jobId: string, change: () => Promise<T>): Promise<T> {
    return this.deps.lock.run(jobId, change);
  }

  async isRunning(jobId: string): Promise<boolean> {
    return (await this.deps.repo.getJob(jobId))?.status === "running";
  }

  async subscribe(jobId: string, afterId: number, sink: ViewerSink): Promise<SubscribeResult> {
    const { repo, fanOut, presence } = this.deps;
    const job = await repo.getJob(jobId);
    if (!job) return "not-found";
    if (job.status !== "running") {
      await replayLog(repo, jobId, afterId, sink);
      sink.close();
      return { unsubscribe: () => {} };
    }
    const held = new HeldSink(sink);
    await fanOut.add(jobId, held);
    void presence.seen(jobId).catch(() => {});
    let replayedUpTo: number;
    try {
      replayedUpTo = await replayLog(repo, jobId, afterId, sink);
    } catch (error) {
      fanOut.remove(jobId, held);
      throw error;
    }
    held.release(replayedUpTo);
    // The run may have ended between the first look and following it: then its `done` was in the replay.
    if (!(await this.isRunning(jobId))) {
      fanOut.remove(jobId, held);
      held.close();
    }
    return { unsubscribe: () => fanOut.remove(jobId, held) };
  }

  detachViewer(jobId: string, sink: ViewerSink): void {
    this.deps.fanOut.remove(jobId, sink);
  }

  async cancel(jobId: string): Promise<boolean> {
    const job = await this.deps.repo.getJob(jobId);
    if (!job || job.status !== "running") return false;
    await this.stopRun(job, "cancelled");
    return true;
  }

  /**
   * Tells every worker to drop the run (they abort their provider calls at once), takes its
   * waiting tasks off the queue, waits for the tasks in hand to be let go, then ends the run.
   */
  private async stopRun(job: Pick<JobRecord, "id" | "run" | "provider" | "images">, ending: "cancelled" | "interrupted"): Promise<void> {
    const { redis, repo, fanOut, presence } = this.deps;
    const info = (await readRunInfo(redis, job.id, job.run)) ?? { provider: job.provider, indices: job.images.filter((image) => image.status === "pending").map((image) => image.index) };
    await redis.set(cancelKey(job.id, job.run), "1", "EX", 24 * 3600);
    await redis.publish(cancelChannel, JSON.stringify({ jobId: job.id, run: job.run }));
    const queue = this.deps.queue(info.provider);
    const ids = info.indices.map((index) => taskId(job.id, job.run, index));
    await Promise.all(ids.map((id) => queue.remove(id).catch(() => 0)));
    const deadline = this.now() + STOP_WAIT_MS;
    while (this.now() < deadline && (await taskStates(queue, ids)).includes("active")) await new Promise((resolve) => setTimeout(resolve, 50));
    const done = await repo.finishRun(job.id, job.run, info.indices, this.now(), ending);
    if (done) fanOut.publish(job.id, done.id, done.event);
    await presence.runEnded(job.id);
  }

  delete(jobId: string): Promise<boolean> {
    return this.exclusive(jobId, async () => {
      const { repo, store } = this.deps;
      const job = await repo.getJob(jobId);
      if (!job) return false;
      if (job.status === "running") await this.stopRun(job, "cancelled");
      return deleteJobData({ repo, store }, jobId, (await repo.filesOfJob(jobId)) ?? []);
    });
  }

  getJob(jobId: string): Promise<JobRecord | undefined> {
    return this.deps.repo.getJob(jobId);
  }

  listJobs(options: Parameters<JobStore["listJobs"]>[0]): ReturnType<JobStore["listJobs"]> {
    return this.deps.repo.listJobs(options);
  }

  accepting(): boolean {
    return !this.draining;
  }

  /** Runs belong to the workers, not to this instance: nothing to hand over but the viewers. */
  async shutdown(): Promise<{ running: number; unfinished: number }> {
    this.draining = true;
    clearInterval(this.reconcileTimer);
    this.deps.presence.stop();
    return { running: 0, unfinished: 0 };
  }

  /**
   * The safety net under every run: a run still `running` whose tasks are all gone (each one
   * settled, or failed for good, or lost with the queue) is ended now, `completed` when nothing
   * is pending, else `interrupted` so the page offers Resume. One instance at a time does it.
   */
  async reconcile(): Promise<void> {
    const { redis, repo, fanOut, presence } = this.deps;
    try {
      if ((await redis.set("acg:reconcile", "1", "PX", RECONCILE_EVERY_MS - 500, "NX")) !== "OK") return;
      for (const running of await repo.runningJobs()) {
        if (running.startedAt > this.now() - RECONCILE_AFTER_MS) continue;
        const info = await readRunInfo(redis, running.id, running.run);
        if (info) {
          const queue = this.deps.queue(info.provider);
          const states = await taskStates(queue, info.indices.map((index) => taskId(running.id, running.run, index)));
          if (states.some((state) => state !== "unknown" && state !== "completed" && state !== "failed")) continue;
        }
        const indices = info?.indices ?? ((await repo.getJob(running.id))?.images.filter((image) => image.status === "pending").map((image) => image.index) ?? []);
        const done = (await repo.finishRun(running.id, running.run, indices, this.now())) ?? (await repo.finishRun(running.id, running.run, indices, this.now(), "interrupted"));
        if (done) {
          console.log(`[jobs] run ${running.run} of job ${running.id} had no work left in the queue: ${done.event.data.status}`);
          fanOut.publish(running.id, done.id, done.event);
          await presence.runEnded(running.id);
        }
      }
    } catch (error) {
      console.error("[jobs] could not check running jobs:", error instanceof Error ? error.message : error);
    }
  }
}

/** Where each task is in the queue ("unknown" once removed, or when Redis cannot say). */
function taskStates(queue: Queue, ids: string[]): Promise<string[]> {
  return Promise.all(ids.map((id) => queue.getJobState(id).catch(() => "unknown")));
}
