import "server-only";
import type { Readable } from "node:stream";
import type { AdFormatId } from "@/lib/ad-formats";
import type { ProviderId } from "@/lib/campaign";
import type { Design, LayoutId } from "@/lib/design";
import type { CreativeVariant } from "@/lib/variants";
import type { JobEvent } from "./logged-events";
import type { JobRecord, JobSummary, NewJob } from "./job-records";

/**
 * The storage seams: what the core needs from a job store (with its event log) and from an image
 * store. Jobs are kept by `sql/sql-job-store.ts` in SQLite (embedded) or Postgres (distributed);
 * images by `files/` on the local disk or `s3/` in a bucket.
 */

export type ImageExtension = "png" | "jpg" | "webp";

export interface RerunSlot {
  index: number;
  prompt: string;
  seed: number;
  variant?: CreativeVariant | null;
  layout?: LayoutId | null;
}

export interface ImageStorage {
  /** Stores the bytes whole or not at all; the id is new and random. */
  save(bytes: Buffer, extension: ImageExtension): Promise<{ id: string }>;
  remove(ids: readonly string[]): Promise<void>;
  read(id: string): Promise<Buffer | null>;
  /** Every stored file, with when it was last written (for the sweep of files nothing owns). */
  list(): Promise<{ id: string; modifiedAt: number }[]>;
  /**
   * For serving and zips: the file opened now (null when it is gone), with its size and type, its
   * stream (of `range` only, when given) read as it is consumed.
   */
  openReadable(id: string, range?: { start: number; end: number }): Promise<{ stream: Readable; size: number; mimeType: string } | null>;
}

/** One page of a workspace's history, newest first; `before` is the previous page's last row. */
export interface JobListQuery {
  workspaceId: string;
  limit: number;
  before?: { createdAt: number; id: string };
}

/**
 * Whose things are: every job and upload belongs to one workspace, and a file to the job or
 * upload that names it. The edge asks before it answers, so another workspace's id is a 404.
 */
export interface Ownership {
  workspaceOfJob(jobId: string): Promise<string | undefined>;
  /** A picture, ad, preview or upload: the workspace of the job or upload that holds it. */
  workspaceOfFile(fileId: string): Promise<string | undefined>;
  /** Moves everything of one workspace to another (what existed before accounts goes to the first account's). */
  moveWorkspace(from: string, to: string): Promise<void>;
}

/** A job's rows: the job, its campaign and images, as the history and the job page read them, and the edits that change them. */
export interface JobRows {
  createJob(job: NewJob): Promise<void>;
  hasJob(id: string): Promise<boolean>;
  getJob(id: string): Promise<JobRecord | undefined>;
  listJobs(query: JobListQuery): Promise<{ jobs: JobSummary[]; next?: { createdAt: number; id: string } }>;
  filesOfJob(jobId: string): Promise<string[] | undefined>;
  deleteJob(jobId: string): Promise<boolean>;
  describeFile(fileId: string): Promise<{ productName: string; index: number; raw: boolean } | undefined>;
  updateProvider(jobId: string, provider: ProviderId, model: string): Promise<void>;
  updateDesign(jobId: string, design: Design, format: AdFormatId): Promise<void>;
  latestDesign(workspaceId: string): Promise<Design | undefined>;
}

/** Each job's event log: what a viewer replays, and what changes the job's rows. */
export interface EventLog {
  /**
   * Appends an event and applies it to the job in one step, the id assigned by the log as it
   * appends; returns that id and the files the event replaced.
   */
  recordEvent(jobId: string, event: JobEvent, now: number): Promise<{ id: number; replaced: string[] }>;
  /** The id of the job's last logged event (0 before its first), undefined when there is no such job. */
  lastEventId(jobId: string): Promise<number | undefined>;
  eventsAfter(jobId: string, afterId: number): Promise<{ id: number; event: string; data: string }[]>;
}

/** The run protocol: which run of a job is current, its events written only while it is, and its end written once. */
export interface RunLog {
  /** Puts the images back to pending for the job's next run; returns the files they replace and that run's number. */
  /** A slot added ("more like this") takes `variant` and `layout`; a slot made again keeps its own. */
  prepareRerun(jobId: string, images: RerunSlot[], now: number): Promise<{ replaced: string[]; run: number }>;
  recordRunEvent(jobId: string, run: number, event: JobEvent, now: number): Promise<{ id: number; replaced: string[] } | null>;
  finishRun(jobId: string, run: number, indices: readonly number[], now: number, ending?: "cancelled" | "interrupted"): Promise<{ id: number; event: Extract<JobEvent, { event: "done" }> } | null>;
  runningJobs(): Promise<{ id: string; run: number; startedAt: number }[]>;
  markInterrupted(now: number, onlyJobId?: string): Promise<string[]>;
}

/** Uploads (logos, product images) are objects of their own: registered when stored, named by designs. */
export interface UploadRegistry {
  addUpload(id: string, kind: "logo" | "product", now: number, workspaceId: string): Promise<void>;
  /** With `workspaceId`, only that workspace's uploads count. */
  isUpload(id: string, kind: "logo" | "product", workspaceId?: string): Promise<boolean>;
  /** Every stored file a row refers to (pictures, ads, previews, uploads), for the sweep of unowned files. */
  referencedFiles(): Promise<Set<string>>;
  /** Uploads created before `before` that no job's design names any more: their rows go, their ids are returned. */
  dropUnusedUploads(before: number): Promise<string[]>;
}

/**
 * The job store: every port above, kept by one database (`sql/sql-job-store.ts` puts together one
 * implementation of each). What needs only one part asks for that part.
 */
export interface JobStore extends JobRows, EventLog, RunLog, UploadRegistry, Ownership {}
