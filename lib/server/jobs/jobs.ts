import "server-only";
import type { RerunTarget } from "./plan-rerun";
import type { ViewerSink } from "./viewer-sink";
import type { BrandAssets } from "../branding/brand-assets";
import type { GenerationPlan } from "../generation/runner";
import type { Previews } from "../previews/preview-store";
import type { JobRecord, JobSummary, NewJob } from "../storage/job-records";
import type { JobListQuery } from "../storage/storage";
import type { JobEvent } from "../storage/logged-events";

export type SubscribeResult = "not-found" | { unsubscribe: () => void };

/**
 * What the routes and pages ask of running and stored jobs, whichever mode runs them: this
 * process (`JobManager`, embedded) or queue workers elsewhere (`DistributedJobs`).
 */
export interface Jobs {
  readonly previews: Previews;
  /** Persists a new job (throws on a full disk, before any stream is opened). */
  create(job: NewJob): Promise<void>;
  /** Starts a job `create` just persisted; `firstViewer` follows it from its first event. */
  start(plan: GenerationPlan, assets: BrandAssets, firstViewer?: ViewerSink): Promise<void>;
  /** Starts another run on an existing job (resume, retry, regenerate, more like this) as `job` was just read. */
  rerun(
    job: JobRecord,
    plan: GenerationPlan,
    images: RerunTarget[],
    assets: BrandAssets,
    firstViewer?: ViewerSink,
    options?: { keepWithoutViewer?: boolean },
  ): Promise<void>;
  /** Appends an event to a job that is not running (a re-composited creative); replaced files are deleted. */
  appendEvent(jobId: string, event: JobEvent): Promise<void>;
  /** Runs a change to one job after the changes to it that came before: one writer per job. */
  exclusive<T>(jobId: string, change: () => Promise<T>): Promise<T>;
  isRunning(jobId: string): Promise<boolean>;
  /** Replays the log after `afterId`, then follows the job while it runs: no gap, no duplicate. */
  subscribe(jobId: string, afterId: number, sink: ViewerSink): Promise<SubscribeResult>;
  /** Detaches a viewer that was attached when the run started. */
  detachViewer(jobId: string, sink: ViewerSink): void;
  /** Stops a running job. Resolves false when it is not running. */
  cancel(jobId: string): Promise<boolean>;
  /** Stops the job if running, then removes its rows and files. */
  delete(jobId: string): Promise<boolean>;
  getJob(jobId: string): Promise<JobRecord | undefined>;
  /** One page of a workspace's history. */
  listJobs(query: JobListQuery): Promise<{ jobs: JobSummary[]; next?: { createdAt: number; id: string } }>;
  /** False once shutdown has begun: new runs are refused (503). */
  accepting(): boolean;
  shutdown(graceMs: number): Promise<{ running: number; unfinished: number }>;
}
