import "server-only";
import type { Readable } from "node:stream";
import type { AdFormatId } from "@/lib/ad-formats";
import type { ProviderId } from "@/lib/campaign";
import type { Design } from "@/lib/design";
import type { JobEvent } from "../jobs/job-events";
import type { JobRecord, JobSummary, NewJob } from "./job-repository";

/**
 * The storage seams: what the core needs from a job store (with its event log) and from an image
 * store. Today SQLite (`job-repository.ts`) and files (`image-store.ts`) are behind them; the
 * scale-out issue adds Postgres and S3 behind the same interfaces.
 */

export type ImageExtension = "png" | "jpg" | "webp";

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

export interface JobStore {
  createJob(job: NewJob): void;
  hasJob(id: string): boolean;
  getJob(id: string): JobRecord | undefined;
  listJobs(options: { limit: number; before?: { createdAt: number; id: string } }): { jobs: JobSummary[]; next?: { createdAt: number; id: string } };
  /**
   * The event log: appends an event and applies it to the job in one step, the id assigned by
   * the log as it appends; returns that id and the files the event replaced.
   */
  recordEvent(jobId: string, event: JobEvent, now: number): { id: number; replaced: string[] };
  /** Uploads (logos, product images) are objects of their own: registered when stored, named by designs. */
  addUpload(id: string, kind: "logo" | "product", now: number): void;
  isUpload(id: string, kind: "logo" | "product"): boolean;
  /** Every stored file a row refers to (pictures, ads, previews, uploads), for the sweep of unowned files. */
  referencedFiles(): Set<string>;
  /** Uploads created before `before` that no job's design names any more: their rows go, their ids are returned. */
  dropUnusedUploads(before: number): string[];
  eventsAfter(jobId: string, afterId: number): { id: number; event: string; data: string }[];
  prepareRerun(jobId: string, images: { index: number; prompt: string; seed: number }[], now: number): string[];
  markInterrupted(now: number, onlyJobId?: string): string[];
  filesOfJob(jobId: string): string[] | undefined;
  deleteJob(jobId: string): boolean;
  describeFile(fileId: string): { productName: string; index: number; raw: boolean } | undefined;
  updateProvider(jobId: string, provider: ProviderId, model: string): void;
  updateDesign(jobId: string, design: Design, format: AdFormatId): void;
  latestDesign(): Design | undefined;
}
