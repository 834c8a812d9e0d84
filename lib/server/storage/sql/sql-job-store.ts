import "server-only";
import type { Kysely } from "kysely";
import type { AdFormatId } from "@/lib/ad-formats";
import type { ProviderId } from "@/lib/campaign";
import type { Design } from "@/lib/design";
import type { JobEvent } from "../logged-events";
import type { NewJob } from "../job-records";
import type { JobListQuery, JobStore, RerunSlot } from "../storage";
import type { Tables } from "./schema";
import { SqlEventLog } from "./sql-event-log";
import { SqlJobRows } from "./sql-job-rows";
import { SqlOwnership } from "./sql-ownership";
import { SqlRunLog } from "./sql-run-log";
import { SqlUploads } from "./sql-uploads";

/**
 * The job store on SQLite or Postgres: one implementation of each port (rows, event log, run
 * protocol, uploads, ownership), each in its own file, every query written once with Kysely for
 * both databases. This class only hands each call to its part.
 */
export class SqlJobStore implements JobStore {
  private readonly rows: SqlJobRows;
  private readonly log: SqlEventLog;
  private readonly runs: SqlRunLog;
  private readonly uploads: SqlUploads;
  private readonly owners: SqlOwnership;

  constructor(db: Kysely<Tables>) {
    this.rows = new SqlJobRows(db);
    this.log = new SqlEventLog(db);
    this.runs = new SqlRunLog(db, this.log);
    this.uploads = new SqlUploads(db);
    this.owners = new SqlOwnership(db);
  }

  createJob(job: NewJob) { return this.rows.createJob(job); }
  hasJob(id: string) { return this.rows.hasJob(id); }
  getJob(id: string) { return this.rows.getJob(id); }
  listJobs(query: JobListQuery) { return this.rows.listJobs(query); }
  filesOfJob(jobId: string) { return this.rows.filesOfJob(jobId); }
  deleteJob(jobId: string) { return this.rows.deleteJob(jobId); }
  describeFile(fileId: string) { return this.rows.describeFile(fileId); }
  updateProvider(jobId: string, provider: ProviderId, model: string) { return this.rows.updateProvider(jobId, provider, model); }
  updateDesign(jobId: string, design: Design, format: AdFormatId) { return this.rows.updateDesign(jobId, design, format); }
  latestDesign(workspaceId: string) { return this.rows.latestDesign(workspaceId); }

  recordEvent(jobId: string, event: JobEvent, now: number) { return this.log.recordEvent(jobId, event, now); }
  lastEventId(jobId: string) { return this.log.lastEventId(jobId); }
  eventsAfter(jobId: string, afterId: number) { return this.log.eventsAfter(jobId, afterId); }

  prepareRerun(jobId: string, images: RerunSlot[], now: number) { return this.runs.prepareRerun(jobId, images, now); }
  recordRunEvent(jobId: string, run: number, event: JobEvent, now: number) { return this.runs.recordRunEvent(jobId, run, event, now); }
  finishRun(jobId: string, run: number, indices: readonly number[], now: number, ending?: "cancelled" | "interrupted") { return this.runs.finishRun(jobId, run, indices, now, ending); }
  runningJobs() { return this.runs.runningJobs(); }
  markInterrupted(now: number, onlyJobId?: string) { return this.runs.markInterrupted(now, onlyJobId); }

  addUpload(id: string, kind: "logo" | "product", now: number, workspaceId: string) { return this.uploads.addUpload(id, kind, now, workspaceId); }
  isUpload(id: string, kind: "logo" | "product", workspaceId?: string) { return this.uploads.isUpload(id, kind, workspaceId); }
  referencedFiles() { return this.uploads.referencedFiles(); }
  dropUnusedUploads(before: number) { return this.uploads.dropUnusedUploads(before); }

  workspaceOfJob(jobId: string) { return this.owners.workspaceOfJob(jobId); }
  workspaceOfFile(fileId: string) { return this.owners.workspaceOfFile(fileId); }
  moveWorkspace(from: string, to: string) { return this.owners.moveWorkspace(from, to); }
}
