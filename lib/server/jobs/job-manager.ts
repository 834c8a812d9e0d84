import "server-only";
import os from "node:os";
import type { LayoutId } from "@/lib/design";
import type { PreviewEvent } from "@/lib/events";
import type { ViewerSink } from "./viewer-sink";
import { runGeneration, type GenerationPlan } from "../generation/runner";
import type { BrandAssets } from "../branding/brand-assets";
import { productForRun } from "../compositing/product-reference";
import type { ImageWork } from "../image-work/image-work";
import { storeCreative } from "../compositing/creative-service";
import { rerunLayouts, slotFormat, slotLayout } from "../generation/slot-design";
import { creativeDesign } from "@/lib/variants";
import type { RerunTarget } from "./plan-rerun";
import { PreviewStore } from "../previews/preview-store";
import type { JobEvent } from "../storage/logged-events";
import { HeldSink, replayLog } from "./replay-log";
import { deleteJobData } from "./delete-job-data";
import { JobWriters } from "./job-writers";
import type { Jobs, SubscribeResult } from "./jobs";
import { InProcessFanOut, type LiveFanOut } from "./live-fan-out";
import { inProcessQueue, type WorkQueue } from "../queue/work-queue";
import type { JobRecord, NewJob } from "../storage/job-records";
import type { ImageStorage, JobStore } from "../storage/storage";

export interface JobManagerConfig {
  concurrency: number;
  /** Provider calls in flight across all jobs. */
  globalConcurrency: number;
  attemptTimeoutMs: number;
  /** How long a running job may have no viewer before it is cancelled. */
  orphanGraceMs: number;
}

interface LiveJob {
  id: string;
  controller: AbortController;
  /** Aborted at shutdown: no new image starts; the ones in flight finish. */
  drain: AbortController;
  orphanTimer?: ReturnType<typeof setTimeout>;
  finished: Promise<void>;
  /** The job's events, recorded one after another in the order the run sent them. */
  recording: Promise<void>;
}

/**
 * Owns every running job, independent of the connections watching it. Each event is committed
 * to the job's log (with the id it is sent with) before any subscriber sees it, so a viewer that
 * reconnects with Last-Event-ID gets exactly the events it missed.
 */
export class JobManager implements Jobs {
  private readonly live = new Map<string, LiveJob>();
  private draining = false;
  /**
   * One queue for every job's finishing work (composite on the image workers, then the writes):
   * twice as many at once as there are cores, so a worker always has the next picture ready
   * while the main thread writes the last one's files.
   */
  private readonly finishing: WorkQueue = inProcessQueue(2 * Math.max(1, os.availableParallelism()));
  private readonly providerCalls: WorkQueue;
  private readonly writers = new JobWriters();

  constructor(
    private readonly repo: JobStore,
    private readonly store: ImageStorage,
    /** Decoding, compositing and encoding, on worker threads in the app. */
    private readonly work: ImageWork,
    private readonly config: JobManagerConfig,
    private readonly now: () => number = Date.now,
    /** Transient previews too large to inline, served by /api/previews/{id}. */
    readonly previews: PreviewStore = new PreviewStore(now),
    /** Who watches each running job. */
    private readonly viewers: LiveFanOut = new InProcessFanOut(),
  ) {
    this.providerCalls = inProcessQueue(config.globalConcurrency);
  }

  /** Persists a new job (throws on a full disk, before any stream is opened). */
  create(job: NewJob): Promise<void> {
    return this.repo.createJob(job);
  }

  /** Starts a job `create` just persisted; `firstViewer` is attached before the first event. */
  async start(plan: GenerationPlan, assets: BrandAssets, firstViewer?: ViewerSink): Promise<void> {
    this.launch(plan, assets, firstViewer);
  }

  /** Starts another run on an existing job (resume, retry, regenerate, more like this) as `job` was just read. */
  async rerun(
    job: JobRecord,
    plan: GenerationPlan,
    images: RerunTarget[],
    assets: BrandAssets,
    firstViewer?: ViewerSink,
    /** Resumed after a restart: runs to the end even if nobody reconnects (nobody asked it to stop). */
    options: { keepWithoutViewer?: boolean } = {},
  ): Promise<void> {
    if (this.live.has(job.id)) throw new Error(`job ${job.id} is already running`);
    const layouts = rerunLayouts(job.images, images);
    const { replaced } = await this.repo.prepareRerun(job.id, images, this.now());
    void this.store.remove(replaced);
    this.launch(plan, assets, firstViewer, layouts, options.keepWithoutViewer);
  }

  /** Appends an event to a job that is not running (a re-composited creative); replaced files are deleted. */
  async appendEvent(jobId: string, event: JobEvent): Promise<void> {
    if (this.live.has(jobId)) throw new Error(`job ${jobId} is running: its own run writes its log`);
    void this.store.remove((await this.repo.recordEvent(jobId, event, this.now())).replaced);
  }

  /**
   * Runs a change to one job (starting a run on it, an edit, a delete) after the changes to it
   * that came before: one writer per job, so concurrent requests queue instead of mixing.
   */
  exclusive<T>(jobId: string, change: () => Promise<T>): Promise<T> {
    return this.writers.run(jobId, change);
  }

  async isRunning(jobId: string): Promise<boolean> {
    return this.live.has(jobId);
  }

  private launch(plan: GenerationPlan, assets: BrandAssets, firstViewer?: ViewerSink, layouts = new Map<number, LayoutId | null>(), keepWithoutViewer = false): void {
    const job: LiveJob = {
      id: plan.jobId,
      controller: new AbortController(),
      drain: new AbortController(),
      finished: Promise.resolve(),
      recording: Promise.resolve(),
    };
    this.live.set(job.id, job);
    if (firstViewer) this.viewers.add(job.id, firstViewer);
    else if (!keepWithoutViewer) this.armOrphanTimer(job);

    job.finished = runGeneration(plan, {
      concurrency: this.config.concurrency,
      attemptTimeoutMs: this.config.attemptTimeoutMs,
      signal: job.controller.signal,
      drain: job.drain.signal,
      emit: (event) => this.record(job, event),
      previews: {
        publish: (webp) => this.previews.publish(webp, job.id),
        emit: (data) => this.broadcastPreview(job, data),
        wanted: () => this.viewers.count(job.id) > 0,
      },
      makePreview: (bytes) => this.work.preview(bytes),
      exclusive: (work) => this.finishing.run(work),
      providerSlot: (work) => this.providerCalls.run(work),
      discard: (stored) => this.store.remove([stored.compositeId, stored.thumbId, stored.rawId]),
      store: (bytes, image, index, onPreview) =>
        storeCreative({ store: this.store, work: this.work }, { bytes, extension: image.extension }, creativeDesign(plan.design, plan.variants?.[index]), slotFormat(plan, index).format, assets, slotLayout(plan, index, layouts.get(index)), onPreview),
      product: productForRun(assets.product, (index) => slotLayout(plan, index, layouts.get(index))),
    })
      .then(() => undefined)
      .catch((error: unknown) => {
        console.error(`[jobs] job ${job.id} crashed:`, error instanceof Error ? error.message : error);
        return this.record(job, { event: "done", data: { jobId: job.id, status: "cancelled", succeeded: 0, failed: 0, cancelled: 0, elapsedMs: 0 } });
      })
      .then(() => job.recording)
      .finally(() => {
        if (job.orphanTimer) clearTimeout(job.orphanTimer);
        this.live.delete(job.id);
        this.viewers.closeAll(job.id);
      });
  }

  /** Queues the event behind the job's earlier ones; resolves once it is recorded and sent. Never rejects. */
  private record(job: LiveJob, event: JobEvent): Promise<void> {
    job.recording = job.recording.then(() => this.recordNow(job, event));
    return job.recording;
  }

  private async recordNow(job: LiveJob, event: JobEvent): Promise<void> {
    // A run held back by shutdown ends without a word: the job stays running in the log, its
    // viewers' streams close (so pages reconnect), and the next start resumes it.
    if (event.event === "done" && job.drain.signal.aborted && event.data.status === "interrupted") return;
    let announced = event;
    let id: number | undefined;
    try {
      const recorded = await this.repo.recordEvent(job.id, event, this.now());
      id = recorded.id;
      void this.store.remove(recorded.replaced);
    } catch (error) {
      console.error(`[jobs] could not record ${event.event} of job ${job.id}:`, error instanceof Error ? error.message : error);
      if (event.event === "image") {
        // The image is not durable, so it must not be announced: drop its files and say why.
        void this.store.remove([event.data.compositeId, event.data.thumbId, event.data.rawId]);
        announced = {
          event: "error",
          data: { index: event.data.index, code: "storage", message: "Could not save the image record (is the disk full?). Free space in DATA_DIR and retry.", retryable: true },
        };
      }
      // Other events still reach the viewers live, without an id: only a later replay misses them.
    }
    this.viewers.publish(job.id, id, announced);
  }

  /** Previews go to whoever watches now and nowhere else: not logged, no id, never replayed. */
  private broadcastPreview(job: LiveJob, data: PreviewEvent): void {
    this.viewers.preview(job.id, data);
  }

  /**
   * Replays the log after `afterId`, then follows the live job. The viewer is attached (holding
   * what arrives) before the log is read, and what it held is sent after the replay minus what
   * the replay already had, so no event slips between replay and live: no gaps, no duplicates.
   */
  async subscribe(jobId: string, afterId: number, sink: ViewerSink): Promise<SubscribeResult> {
    const live = this.live.get(jobId);
    if (!live && !(await this.repo.hasJob(jobId))) return "not-found";
    if (!live) {
      // A run whose closing event could not be written (a full disk) is closed now, if there is room.
      try {
        await this.repo.markInterrupted(this.now(), jobId);
      } catch {
        // Still no room: the replay ends without `done`, and the page says the connection was lost.
      }
    }
    const held = live ? new HeldSink(sink) : undefined;
    if (live && held) {
      this.viewers.add(jobId, held);
      if (live.orphanTimer) {
        clearTimeout(live.orphanTimer);
        live.orphanTimer = undefined;
      }
    }
    let replayedUpTo: number;
    try {
      replayedUpTo = await replayLog(this.repo, jobId, afterId, sink);
    } catch (error) {
      if (live && held) this.unsubscribe(live, held);
      throw error;
    }
    if (!live || !held) {
      sink.close();
      return { unsubscribe: () => {} };
    }
    held.release(replayedUpTo);
    return { unsubscribe: () => this.unsubscribe(live, held) };
  }

  /** Detaches a viewer that was attached when the run started. */
  detachViewer(jobId: string, sink: ViewerSink): void {
    const job = this.live.get(jobId);
    if (job) this.unsubscribe(job, sink);
  }

  private unsubscribe(job: LiveJob, sink: ViewerSink): void {
    const left = this.viewers.remove(job.id, sink);
    if (left === 0 && this.live.get(job.id) === job) this.armOrphanTimer(job);
  }

  private armOrphanTimer(job: LiveJob): void {
    if (job.orphanTimer) clearTimeout(job.orphanTimer);
    // Nobody is watching: a reload or a flaky network gets a grace period, an abandoned tab does not burn quota.
    job.orphanTimer = setTimeout(() => job.controller.abort(new DOMException("No viewer", "AbortError")), this.config.orphanGraceMs);
    job.orphanTimer.unref?.();
  }

  /** False once shutdown has begun: new runs are refused (503) so a restart loses nothing. */
  accepting(): boolean {
    return !this.draining;
  }

  /**
   * SIGTERM: refuse new runs, let the images in flight finish for up to `graceMs` (none starts
   * meanwhile), then abort what is left. Jobs that did not finish stay `running` in the log, to
   * be marked interrupted and resumed by the next start; their viewers' streams are closed.
   */
  async shutdown(graceMs: number): Promise<{ running: number; unfinished: number }> {
    this.draining = true;
    const jobs = [...this.live.values()];
    for (const job of jobs) job.drain.abort(new DOMException("Shutting down", "AbortError"));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const graceOver = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.all(jobs.map((job) => job.finished)), graceOver]);
    clearTimeout(timer);
    const late = [...this.live.values()];
    for (const job of late) job.controller.abort(new DOMException("Shutting down", "AbortError"));
    await Promise.all(late.map((job) => job.finished));
    return { running: jobs.length, unfinished: late.length };
  }

  /** Aborts a running job at once. Returns false when it is not running. */
  async cancel(jobId: string): Promise<boolean> {
    const job = this.live.get(jobId);
    if (!job) return false;
    job.controller.abort(new DOMException("Cancelled", "AbortError"));
    return true;
  }

  /** Cancels (and waits for) a running job, then removes its rows and files, after any change to it in progress. */
  delete(jobId: string): Promise<boolean> {
    return this.exclusive(jobId, () => this.deleteNow(jobId));
  }

  private async deleteNow(jobId: string): Promise<boolean> {
    const job = this.live.get(jobId);
    if (job) {
      job.controller.abort(new DOMException("Deleted", "AbortError"));
      await job.finished;
    }
    const files = await this.repo.filesOfJob(jobId);
    if (!files) return false;
    return deleteJobData({ repo: this.repo, store: this.store }, jobId, files);
  }

  /**
   * A job as the history shows it. A job whose last write failed (a full disk) can be left
   * `running` in the database after its run ended; it is shown interrupted, to be resumed.
   */
  async getJob(jobId: string): Promise<JobRecord | undefined> {
    const job = await this.repo.getJob(jobId);
    return job && this.settled(job);
  }

  async listJobs(options: Parameters<JobStore["listJobs"]>[0]): ReturnType<JobStore["listJobs"]> {
    const page = await this.repo.listJobs(options);
    return { ...page, jobs: page.jobs.map((job) => this.settled(job)) };
  }

  private settled<T extends { id: string; status: JobRecord["status"] }>(job: T): T {
    return job.status === "running" && !this.live.has(job.id) ? { ...job, status: "interrupted" } : job;
  }
}
