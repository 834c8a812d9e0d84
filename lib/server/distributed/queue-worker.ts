import "server-only";
import { once } from "node:events";
import os from "node:os";
import { Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { PROVIDER_IDS } from "@/lib/campaign";
import type { Design } from "@/lib/design";
import { loadBrandAssets, type BrandAssets } from "../branding/brand-assets";
import { productForRun } from "../compositing/product-reference";
import { storeCreative } from "../compositing/creative-service";
import { creativeDesign } from "@/lib/variants";
import { RunCancelled, runImage } from "../generation/runner";
import { slotFormat } from "../generation/slot-design";
import type { ImageWork } from "../image-work/image-work";
import type { JobEvent } from "../storage/logged-events";
import type { Previews } from "../previews/preview-store";
import { inProcessQueue } from "../queue/work-queue";
import type { ImageStorage, JobStore } from "../storage/storage";
import type { ProviderRegistry } from "../providers/registry";
import { planOfTask, queueName, runTaskPrefix, taskId, type ImageTask } from "./image-tasks";
import { publishToJob } from "./redis-fan-out";
import { cancelChannel, cancelKey } from "./run-keys";
import type { ViewerPresence } from "./viewer-presence";

export interface QueueWorkerDeps {
  repo: JobStore;
  store: ImageStorage;
  work: ImageWork;
  /** Who makes each task's picture (the task names the provider by id). */
  providers: Pick<ProviderRegistry, "get">;
  /** Commands and publishing. */
  redis: Redis;
  /** A connection of its own, in subscriber mode, for Stop. */
  subscriber: Redis;
  previews: Previews;
  presence: ViewerPresence;
  concurrency: number;
  attemptTimeoutMs: number;
  /** How long a task may go without its worker renewing its lock before another worker takes it. */
  stalledMs: number;
  now?: () => number;
}

/** How long an image's result waits for the database to come back before the task is handed back to the queue. */
const DATABASE_PATIENCE_MS = 60_000;

class WorkerStopping extends Error {}

/**
 * `npm run worker`: takes image tasks from every provider's queue and makes each image as the
 * embedded server does (`runImage`: the provider call, the retry policy, the ad, its files in
 * S3). Each event is recorded in the Postgres log (only while its run is current, so a task redone
 * after a crash or one that outlived a Stop writes nothing twice), then published to the viewers.
 */
export class QueueWorker {
  private readonly workers: Worker[];
  /** The tasks in hand, by task id: what a Stop aborts. */
  private readonly inHand = new Map<string, AbortController>();
  private readonly drain = new AbortController();
  /** Set when shutdown aborts the images in hand: they go back to the queue, unlike a Stop's. */
  private handingBack = false;
  /** Composites and their writes, a few at a time per core, as in the embedded server. */
  private readonly finishing = inProcessQueue(2 * Math.max(1, os.availableParallelism()));
  private readonly assets = new Map<string, { loaded: Promise<BrandAssets>; at: number }>();
  private readonly now: () => number;

  constructor(private readonly deps: QueueWorkerDeps) {
    this.now = deps.now ?? Date.now;
    deps.subscriber.on("message", (channel: string, text: string) => {
      if (channel !== cancelChannel) return;
      const { jobId, run } = JSON.parse(text) as { jobId: string; run: number };
      const prefix = runTaskPrefix(jobId, run);
      for (const [id, controller] of this.inHand) if (id.startsWith(prefix)) controller.abort(new DOMException("Cancelled", "AbortError"));
    });
    this.workers = PROVIDER_IDS.map(
      (provider) =>
        new Worker<ImageTask>(queueName(provider), (task) => this.process(task), {
          connection: deps.redis,
          concurrency: deps.concurrency,
          lockDuration: deps.stalledMs,
          stalledInterval: deps.stalledMs,
          maxStalledCount: 3,
        }),
    );
    for (const worker of this.workers) worker.on("error", (error) => console.error(`[worker] ${worker.name}: ${error.message}`));
  }

  /** Resolves once Stop and every queue are being listened to. */
  async ready(): Promise<void> {
    // Subscribing before the connection is ready races ioredis's own ready check (an INFO the
    // server then refuses in subscriber mode), and a Stop could go unheard.
    if (this.deps.subscriber.status !== "ready") await once(this.deps.subscriber, "ready");
    await this.deps.subscriber.subscribe(cancelChannel);
    await Promise.all(this.workers.map((worker) => worker.waitUntilReady()));
  }

  private async process(task: Job<ImageTask>): Promise<void> {
    const data = task.data;
    const { repo, redis } = this.deps;
    if (this.drain.signal.aborted) throw new WorkerStopping("This worker is stopping: the image goes to another worker.");
    if (await redis.exists(cancelKey(data.jobId, data.run))) return;
    const job = await repo.getJob(data.jobId);
    if (!job || job.status !== "running" || job.run !== data.run) return;
    const plan = planOfTask(data, this.deps.providers);
    // Made and announced by a worker that died before it could say so to the queue: nothing to redo.
    if (job.images.find((image) => image.index === data.index)?.status !== "pending") return this.finish(data);

    const id = taskId(data.jobId, data.run, data.index);
    const controller = new AbortController();
    this.inHand.set(id, controller);
    const settled = job.images.filter((image) => plan.indices.includes(image.index) && (image.status === "done" || image.status === "failed")).length;
    try {
      const assets = await this.assetsFor(plan.design);
      await runImage(
        plan,
        data.index,
        {
          concurrency: 1,
          attemptTimeoutMs: this.deps.attemptTimeoutMs,
          signal: controller.signal,
          drain: this.drain.signal,
          emit: (event) => this.announce(data, event),
          previews: {
            publish: (webp) => this.deps.previews.publish(webp, data.jobId),
            emit: (preview) => void publishToJob(redis, data.jobId, { preview }).catch(() => {}),
            wanted: () => true,
          },
          makePreview: (bytes) => this.deps.work.preview(bytes),
          exclusive: (work) => this.finishing.run(work),
          discard: (stored) => this.deps.store.remove([stored.compositeId, stored.thumbId, stored.rawId]),
          store: (bytes, image, _index, onPreview) =>
            storeCreative({ store: this.deps.store, work: this.deps.work }, { bytes, extension: image.extension }, creativeDesign(plan.design, plan.variants?.[data.index]), slotFormat(plan, data.index).format, assets, data.layout, onPreview),
          product: productForRun(assets.product, () => data.layout),
        },
        { completed: () => settled, total: plan.indices.length },
      );
    } catch (error) {
      if (!(error instanceof RunCancelled)) throw error;
      // Held back by this worker's shutdown, not by a Stop: another worker makes it.
      if (!controller.signal.aborted || this.handingBack) throw new WorkerStopping("This worker stopped before the image started: it goes to another worker.");
      return;
    } finally {
      this.inHand.delete(id);
    }
    await this.finish(data);
  }

  /**
   * Records an event of the task's run, then publishes it. A result (image or error) waits for a
   * database that is restarting, saying so to the viewers; a progress event is not worth waiting for.
   */
  private async announce(task: ImageTask, event: JobEvent): Promise<void> {
    const { repo, store, redis } = this.deps;
    const settles = event.event === "image" || event.event === "error";
    const giveUpAt = this.now() + DATABASE_PATIENCE_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        const recorded = await repo.recordRunEvent(task.jobId, task.run, event, this.now());
        if (!recorded) {
          // The run was stopped, or this image already announced: these files belong to nobody.
          if (event.event === "image") await store.remove([event.data.compositeId, event.data.thumbId, event.data.rawId]);
          return;
        }
        void store.remove(recorded.replaced);
        await publishToJob(redis, task.jobId, { id: recorded.id, event });
        return;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (!settles) {
          await publishToJob(redis, task.jobId, { event }).catch(() => {});
          return;
        }
        if (this.now() > giveUpAt) {
          if (event.event === "image") await store.remove([event.data.compositeId, event.data.thumbId, event.data.rawId]);
          throw new Error(`Could not record image ${task.index} of job ${task.jobId}: ${message}`);
        }
        if (attempt === 0) {
          console.error(`[worker] could not record ${event.event} of job ${task.jobId} (${message}); retrying until the database answers`);
          const waiting: JobEvent = {
            event: "progress",
            data: { index: task.index, status: "generating", attempt: 1, message: "Waiting for the database to come back to save this image…", completed: 0, total: task.plan.indices.length },
          };
          await publishToJob(redis, task.jobId, { event: waiting }).catch(() => {});
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** attempt, 2_000)));
      }
    }
  }

  /** After each image: the run's `done`, recorded by whichever worker settles its last image. */
  private async finish(task: ImageTask): Promise<void> {
    const done = await this.deps.repo.finishRun(task.jobId, task.run, task.plan.indices, this.now());
    if (!done) return;
    await publishToJob(this.deps.redis, task.jobId, { id: done.id, event: done.event });
    await this.deps.presence.runEnded(task.jobId);
  }

  /** A design's logo and product image, read from the bucket once per minute per design, not per image. */
  private assetsFor(design: Design): Promise<BrandAssets> {
    const key = `${design.logoId ?? ""}|${design.productId ?? ""}`;
    const cached = this.assets.get(key);
    if (cached && cached.at > this.now() - 60_000) return cached.loaded;
    const loaded = loadBrandAssets({ store: this.deps.store, isUpload: (id, kind) => this.deps.repo.isUpload(id, kind) }, design);
    this.assets.set(key, { loaded, at: this.now() });
    loaded.catch(() => this.assets.delete(key));
    return loaded;
  }

  /**
   * SIGTERM: no new task is taken; the images in hand finish for up to `graceMs`, then they are
   * aborted and handed back to the queue for another worker.
   */
  async close(graceMs: number): Promise<{ handedBack: number }> {
    this.drain.abort(new DOMException("Shutting down", "AbortError"));
    const closing = Promise.all(this.workers.map((worker) => worker.close()));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = await Promise.race([closing.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs)))]);
    clearTimeout(timer);
    const handedBack = late ? this.inHand.size : 0;
    this.handingBack = late;
    if (late) for (const controller of this.inHand.values()) controller.abort(new DOMException("Shutting down", "AbortError"));
    await closing;
    return { handedBack };
  }
}
