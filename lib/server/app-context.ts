import "server-only";
import type { UploadSource } from "./branding/brand-assets";
import { env } from "./env";
import { inProcessQueue, type WorkQueue } from "./queue/work-queue";
import type { ImageWork } from "./image-work/image-work";
import { sharedImageWork } from "./image-work/shared-image-work";
import { JobManager } from "./jobs/job-manager";
import { openDatabase } from "./storage/database";
import { FileImageStore } from "./storage/image-store";
import type { ImageStorage, JobStore } from "./storage/storage";
import { JobRepository } from "./storage/job-repository";

/** The composition root: one database, one image store, one job manager per server process. */
export interface AppContext {
  repo: JobStore;
  store: ImageStorage;
  jobs: JobManager;
  work: ImageWork;
  /** The image store and the registry of uploads, for loading a design's logo and product. */
  uploads: UploadSource;
  /** All-formats exports, one at a time: each is six full-size composites on the image workers. */
  exports: WorkQueue;
}

// Next may load route modules in separate chunks; a global keeps one context per process.
const globalKey = Symbol.for("ad-creative-generator.app-context");
type GlobalWithContext = typeof globalThis & { [globalKey]?: AppContext };

export function appContext(): AppContext {
  const holder = globalThis as GlobalWithContext;
  if (!holder[globalKey]) {
    const config = env();
    const repo = new JobRepository(openDatabase(config.DATA_DIR));
    const store = new FileImageStore(config.DATA_DIR);
    const work = sharedImageWork();
    const jobs = new JobManager(repo, store, work, {
      concurrency: config.GENERATION_CONCURRENCY,
      globalConcurrency: config.GENERATION_GLOBAL_CONCURRENCY,
      attemptTimeoutMs: config.GENERATION_TIMEOUT_MS,
      orphanGraceMs: config.JOB_ORPHAN_GRACE_MS,
    });
    holder[globalKey] = { repo, store, jobs, work, uploads: { store, isUpload: (id, kind) => repo.isUpload(id, kind) }, exports: inProcessQueue(1) };
  }
  return holder[globalKey];
}
