import "server-only";
import type { AdFormatId } from "@/lib/ad-formats";
import type { CampaignBrief, ProviderId } from "@/lib/campaign";
import { DEFAULT_DESIGN, type BuiltinPresetId, type Design, type LayoutId } from "@/lib/design";
import type { JobEvent } from "../jobs/job-events";
import type { JobStore } from "./storage";
import type { Db } from "./database";

export type JobStatus = "running" | "completed" | "cancelled" | "interrupted";
export type ImageStatus = "pending" | "done" | "failed" | "cancelled" | "interrupted";

export interface ImageRecord {
  index: number;
  prompt: string;
  seed: number;
  status: ImageStatus;
  /** The raw picture from the provider. */
  fileId: string | null;
  /** The finished ad (picture + brand + copy) and its preview. */
  compositeId: string | null;
  thumbId: string | null;
  /** Overrides the job's layout for this creative. */
  layout: LayoutId | null;
  /** The route that made the picture ("fal-ai", "nscale", "builtin"…); null for older jobs. */
  route: string | null;
  /** The picture's size as the provider sent it. */
  sourceWidth: number | null;
  sourceHeight: number | null;
  mimeType: string | null;
  bytes: number | null;
  width: number | null;
  height: number | null;
  elapsedMs: number | null;
  errorCode: string | null;
  errorMessage: string | null;
}

export interface JobRecord {
  id: string;
  campaignId: string;
  brief: CampaignBrief;
  design: Design;
  preset: BuiltinPresetId;
  status: JobStatus;
  provider: ProviderId;
  model: string;
  format: AdFormatId;
  width: number;
  height: number;
  seed: number;
  negativePrompt: string;
  createdAt: number;
  startedAt: number;
  finishedAt: number | null;
  lastEventId: number;
  images: ImageRecord[];
}

export interface JobSummary {
  id: string;
  productName: string;
  /** The ad's headline: what tells two campaigns for the same product apart. */
  headline: string;
  status: JobStatus;
  provider: ProviderId;
  model: string;
  format: AdFormatId;
  createdAt: number;
  total: number;
  succeeded: number;
  failed: number;
  thumbIds: string[];
}

export type NewJob = Pick<
  JobRecord,
  "id" | "campaignId" | "brief" | "design" | "preset" | "provider" | "model" | "format" | "width" | "height" | "seed" | "negativePrompt"
> & {
  images: { index: number; prompt: string; seed: number }[];
  now: number;
};

interface JobRow {
  id: string;
  campaign_id: string;
  brief_json: string;
  design_json: string | null;
  preset: BuiltinPresetId | null;
  status: JobStatus;
  provider: ProviderId;
  model: string;
  format: AdFormatId;
  width: number;
  height: number;
  seed: number;
  negative_prompt: string;
  created_at: number;
  started_at: number;
  finished_at: number | null;
  last_event_id: number;
}

interface ImageRow {
  idx: number;
  prompt: string;
  seed: number;
  status: ImageStatus;
  file_id: string | null;
  composite_id: string | null;
  thumb_id: string | null;
  layout: LayoutId | null;
  route: string | null;
  source_width: number | null;
  source_height: number | null;
  mime_type: string | null;
  bytes: number | null;
  width: number | null;
  height: number | null;
  elapsed_ms: number | null;
  error_code: string | null;
  error_message: string | null;
}

/** Every SQL statement of the app, behind methods that speak in domain terms. */
export class JobRepository implements JobStore {
  constructor(private readonly db: Db) {}

  createJob(job: NewJob): void {
    this.db.transaction(() => {
      this.db
        .prepare("INSERT INTO campaigns (id, created_at, product_name, brief_json) VALUES (?, ?, ?, ?)")
        .run(job.campaignId, job.now, job.brief.productName, JSON.stringify(job.brief));
      this.db
        .prepare(
          `INSERT INTO jobs (id, campaign_id, status, provider, model, format, width, height, seed, negative_prompt, created_at, started_at, design_json, preset)
           VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(job.id, job.campaignId, job.provider, job.model, job.format, job.width, job.height, job.seed, job.negativePrompt, job.now, job.now, JSON.stringify(job.design), job.preset);
      const insert = this.db.prepare("INSERT INTO images (job_id, idx, prompt, seed, status, updated_at) VALUES (?, ?, ?, ?, 'pending', ?)");
      for (const image of job.images) insert.run(job.id, image.index, image.prompt, image.seed, job.now);
    })();
  }

  /** Whether the job exists, without reading its images. */
  hasJob(id: string): boolean {
    return this.db.prepare("SELECT 1 FROM jobs WHERE id = ?").get(id) !== undefined;
  }

  getJob(id: string): JobRecord | undefined {
    const row = this.db
      .prepare(`SELECT jobs.*, campaigns.brief_json FROM jobs JOIN campaigns ON campaigns.id = jobs.campaign_id WHERE jobs.id = ?`)
      .get(id) as JobRow | undefined;
    if (!row) return undefined;
    const images = this.db.prepare("SELECT * FROM images WHERE job_id = ? ORDER BY idx").all(id) as ImageRow[];
    return {
      id: row.id,
      campaignId: row.campaign_id,
      brief: JSON.parse(row.brief_json) as CampaignBrief,
      design: parseDesign(row.design_json),
      preset: row.preset ?? "auto",
      status: row.status,
      provider: row.provider,
      model: row.model,
      format: row.format,
      width: row.width,
      height: row.height,
      seed: row.seed,
      negativePrompt: row.negative_prompt,
      createdAt: row.created_at,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      lastEventId: row.last_event_id,
      images: images.map(toImageRecord),
    };
  }

  /** Newest first; `before` is the cursor of the last row of the previous page. */
  listJobs(options: { limit: number; before?: { createdAt: number; id: string } }): { jobs: JobSummary[]; next?: { createdAt: number; id: string } } {
    const rows = this.db
      .prepare(
        `SELECT jobs.id, jobs.status, jobs.provider, jobs.model, jobs.format, jobs.created_at, jobs.design_json, campaigns.product_name,
                (SELECT COUNT(*) FROM images WHERE images.job_id = jobs.id) AS total,
                (SELECT COUNT(*) FROM images WHERE images.job_id = jobs.id AND images.status = 'done') AS succeeded,
                (SELECT COUNT(*) FROM images WHERE images.job_id = jobs.id AND images.status = 'failed') AS failed,
                (SELECT group_concat(thumb_id) FROM (SELECT thumb_id FROM images WHERE images.job_id = jobs.id AND thumb_id IS NOT NULL ORDER BY idx LIMIT 4)) AS thumbs
         FROM jobs JOIN campaigns ON campaigns.id = jobs.campaign_id
         WHERE (? IS NULL OR jobs.created_at < ? OR (jobs.created_at = ? AND jobs.id < ?))
         ORDER BY jobs.created_at DESC, jobs.id DESC
         LIMIT ?`,
      )
      .all(
        options.before?.createdAt ?? null,
        options.before?.createdAt ?? null,
        options.before?.createdAt ?? null,
        options.before?.id ?? null,
        options.limit + 1,
      ) as {
      id: string;
      status: JobStatus;
      provider: ProviderId;
      model: string;
      format: AdFormatId;
      created_at: number;
      design_json: string | null;
      product_name: string;
      total: number;
      succeeded: number;
      failed: number;
      thumbs: string | null;
    }[];
    const page = rows.slice(0, options.limit);
    const jobs = page.map((row) => ({
      id: row.id,
      productName: row.product_name,
      headline: parseDesign(row.design_json).headline,
      status: row.status,
      provider: row.provider,
      model: row.model,
      format: row.format,
      createdAt: row.created_at,
      total: row.total,
      succeeded: row.succeeded,
      failed: row.failed,
      thumbIds: row.thumbs ? row.thumbs.split(",") : [],
    }));
    const last = page.at(-1);
    return { jobs, next: rows.length > options.limit && last ? { createdAt: last.created_at, id: last.id } : undefined };
  }

  /**
   * Appends one event to the job's log and applies what it means to the image rows, in one
   * transaction: when this returns, the event and its effects are durable. The event's id is the
   * log's next one, taken in the same transaction (never from a value read earlier). Returns it,
   * and the files an `image` event replaced (a re-composited creative's previous ad and preview).
   */
  recordEvent(jobId: string, event: JobEvent, now: number): { id: number; replaced: string[] } {
    return this.db.transaction(() => {
      const row = this.db.prepare("SELECT last_event_id FROM jobs WHERE id = ?").get(jobId) as { last_event_id: number } | undefined;
      if (!row) throw new Error(`no job ${jobId} to record ${event.event} in`);
      const eventId = row.last_event_id + 1;
      return { id: eventId, replaced: this.applyEvent(jobId, eventId, event, now) };
    }).immediate();
  }

  private applyEvent(jobId: string, eventId: number, event: JobEvent, now: number): string[] {
    this.db.prepare("INSERT INTO job_events (job_id, id, event, data) VALUES (?, ?, ?, ?)").run(jobId, eventId, event.event, JSON.stringify(event.data));
    this.db.prepare("UPDATE jobs SET last_event_id = ? WHERE id = ?").run(eventId, jobId);
    if (event.event === "image") {
      const d = event.data;
      const { compositeId, thumbId } = d;
      const previous = this.db.prepare("SELECT composite_id, thumb_id FROM images WHERE job_id = ? AND idx = ?").get(jobId, d.index) as
        | { composite_id: string | null; thumb_id: string | null }
        | undefined;
      this.db
        .prepare(
          `UPDATE images SET status = 'done', file_id = ?, composite_id = ?, thumb_id = ?, layout = ?, mime_type = ?, bytes = ?, width = ?, height = ?, elapsed_ms = ?,
                  seed = ?, prompt = ?, route = coalesce(?, route), source_width = coalesce(?, source_width), source_height = coalesce(?, source_height),
                  error_code = NULL, error_message = NULL, updated_at = ?
           WHERE job_id = ? AND idx = ?`,
        )
        .run(
          d.rawId,
          compositeId,
          thumbId,
          d.layout,
          d.mimeType,
          d.bytes,
          d.width,
          d.height,
          Math.round(d.elapsedMs),
          d.seed,
          d.prompt,
          d.route ?? null,
          d.sourceWidth ?? null,
          d.sourceHeight ?? null,
          now,
          jobId,
          d.index,
        );
      return [previous?.composite_id, previous?.thumb_id].filter((id): id is string => Boolean(id) && id !== compositeId && id !== thumbId);
    } else if (event.event === "error") {
      this.db
        .prepare("UPDATE images SET status = 'failed', error_code = ?, error_message = ?, updated_at = ? WHERE job_id = ? AND idx = ?")
        .run(event.data.code, event.data.message, now, jobId, event.data.index);
    } else if (event.event === "done") {
      const imageStatus = event.data.status === "interrupted" ? "interrupted" : "cancelled";
      this.db.prepare(`UPDATE images SET status = ?, updated_at = ? WHERE job_id = ? AND status = 'pending'`).run(imageStatus, now, jobId);
      this.db.prepare("UPDATE jobs SET status = ?, finished_at = ? WHERE id = ?").run(event.data.status, now, jobId);
    }
    return [];
  }

  eventsAfter(jobId: string, afterId: number): { id: number; event: string; data: string }[] {
    return this.db.prepare("SELECT id, event, data FROM job_events WHERE job_id = ? AND id > ? ORDER BY id").all(jobId, afterId) as {
      id: number;
      event: string;
      data: string;
    }[];
  }

  /**
   * Puts images back to pending for another run on the same job (resume, retry, regenerate,
   * more like this). Returns the files of images being replaced, to delete once committed.
   */
  prepareRerun(jobId: string, images: { index: number; prompt: string; seed: number }[], now: number): string[] {
    const replaced: string[] = [];
    this.db.transaction(() => {
      const find = this.db.prepare("SELECT file_id, composite_id, thumb_id FROM images WHERE job_id = ? AND idx = ?");
      const upsert = this.db.prepare(
        `INSERT INTO images (job_id, idx, prompt, seed, status, updated_at) VALUES (?, ?, ?, ?, 'pending', ?)
         ON CONFLICT (job_id, idx) DO UPDATE SET prompt = excluded.prompt, seed = excluded.seed, status = 'pending',
           file_id = NULL, composite_id = NULL, thumb_id = NULL, route = NULL, source_width = NULL, source_height = NULL, mime_type = NULL, bytes = NULL, width = NULL, height = NULL, elapsed_ms = NULL,
           error_code = NULL, error_message = NULL, updated_at = excluded.updated_at`,
      );
      for (const image of images) {
        const previous = find.get(jobId, image.index) as { file_id: string | null; composite_id: string | null; thumb_id: string | null } | undefined;
        for (const id of [previous?.file_id, previous?.composite_id, previous?.thumb_id]) if (id) replaced.push(id);
        upsert.run(jobId, image.index, image.prompt, image.seed, now);
      }
      this.db.prepare("UPDATE jobs SET status = 'running', started_at = ?, finished_at = NULL WHERE id = ?").run(now, jobId);
    })();
    return replaced;
  }

  /** Jobs a crash left `running` (all, or the one named) become `interrupted`, with a closing event so replays end. */
  markInterrupted(now: number, onlyJobId?: string): string[] {
    const running = (
      onlyJobId
        ? this.db.prepare("SELECT id, last_event_id FROM jobs WHERE status = 'running' AND id = ?").all(onlyJobId)
        : this.db.prepare("SELECT id, last_event_id FROM jobs WHERE status = 'running'").all()
    ) as { id: string; last_event_id: number }[];
    for (const job of running) {
      const counts = this.db
        .prepare(
          `SELECT SUM(status = 'done') AS succeeded, SUM(status = 'failed') AS failed, SUM(status = 'pending') AS pending FROM images WHERE job_id = ?`,
        )
        .get(job.id) as { succeeded: number | null; failed: number | null; pending: number | null };
      this.recordEvent(
        job.id,
        {
          event: "done",
          data: {
            jobId: job.id,
            status: "interrupted",
            succeeded: counts.succeeded ?? 0,
            failed: counts.failed ?? 0,
            cancelled: counts.pending ?? 0,
            elapsedMs: 0,
          },
        },
        now,
      );
    }
    return running.map((job) => job.id);
  }

  /**
   * The files a job owns (its pictures, ads and previews, and uploads no other job uses), so they
   * can be removed before its rows: on a full disk that frees the room SQLite needs to delete.
   */
  filesOfJob(jobId: string): string[] | undefined {
    if (!this.hasJob(jobId)) return undefined;
    // Uploads are not the job's: they stay for other campaigns until the sweep finds them unused.
    const rows = this.db
      .prepare(
        `SELECT file_id, composite_id, thumb_id FROM images WHERE job_id = ?`,
      )
      .all(jobId) as { file_id: string | null; composite_id: string | null; thumb_id: string | null }[];
    const isUpload = this.db.prepare("SELECT 1 FROM uploads WHERE id = ?");
    return rows.flatMap((row) => [row.file_id, row.composite_id, row.thumb_id]).filter((id): id is string => Boolean(id) && !isUpload.get(id));
  }

  addUpload(id: string, kind: "logo" | "product", now: number): void {
    this.db.prepare("INSERT INTO uploads (id, kind, created_at) VALUES (?, ?, ?)").run(id, kind, now);
  }

  isUpload(id: string, kind: "logo" | "product"): boolean {
    return Boolean(this.db.prepare("SELECT 1 FROM uploads WHERE id = ? AND kind = ?").get(id, kind));
  }

  referencedFiles(): Set<string> {
    const rows = this.db
      .prepare(
        `SELECT file_id AS id FROM images WHERE file_id IS NOT NULL UNION SELECT composite_id FROM images WHERE composite_id IS NOT NULL
         UNION SELECT thumb_id FROM images WHERE thumb_id IS NOT NULL UNION SELECT id FROM uploads`,
      )
      .all() as { id: string }[];
    return new Set(rows.map((row) => row.id));
  }

  dropUnusedUploads(before: number): string[] {
    return this.db.transaction(() => {
      const unused = this.db
        .prepare(
          `SELECT id FROM uploads WHERE created_at < ? AND NOT EXISTS (
             SELECT 1 FROM jobs WHERE json_extract(jobs.design_json, '$.logoId') = uploads.id OR json_extract(jobs.design_json, '$.productId') = uploads.id)`,
        )
        .all(before) as { id: string }[];
      const drop = this.db.prepare("DELETE FROM uploads WHERE id = ?");
      for (const { id } of unused) drop.run(id);
      return unused.map(({ id }) => id);
    })();
  }

  /** Deletes the job, its campaign (when no other job uses it) and its event log. */
  deleteJob(jobId: string): boolean {
    let deleted = false;
    this.db.transaction(() => {
      const job = this.db.prepare("SELECT campaign_id FROM jobs WHERE id = ?").get(jobId) as { campaign_id: string } | undefined;
      if (!job) return;
      this.db.prepare("DELETE FROM jobs WHERE id = ?").run(jobId);
      this.db.prepare("DELETE FROM campaigns WHERE id = ? AND NOT EXISTS (SELECT 1 FROM jobs WHERE campaign_id = ?)").run(job.campaign_id, job.campaign_id);
      deleted = true;
    })();
    return deleted;
  }

  /** For download filenames: which campaign and slot a stored file belongs to. */
  describeFile(fileId: string): { productName: string; index: number; raw: boolean } | undefined {
    const row = this.db
      .prepare(
        `SELECT campaigns.product_name, images.idx, images.file_id = ? AS raw FROM images JOIN jobs ON jobs.id = images.job_id JOIN campaigns ON campaigns.id = jobs.campaign_id
         WHERE images.file_id = ? OR images.composite_id = ?`,
      )
      .get(fileId, fileId, fileId) as { product_name: string; idx: number; raw: number } | undefined;
    return row ? { productName: row.product_name, index: row.idx, raw: row.raw === 1 } : undefined;
  }

  /** The provider and model the job's next images are made with (after "Retry with …"). */
  updateProvider(jobId: string, provider: ProviderId, model: string): void {
    this.db.prepare("UPDATE jobs SET provider = ?, model = ? WHERE id = ?").run(provider, model, jobId);
  }

  updateDesign(jobId: string, design: Design, format: AdFormatId): void {
    this.db.prepare("UPDATE jobs SET design_json = ?, format = ? WHERE id = ?").run(JSON.stringify(design), format, jobId);
  }

  /** The brand kit of the most recent campaign, offered as the next campaign's starting point. */
  latestDesign(): Design | undefined {
    const row = this.db.prepare("SELECT design_json FROM jobs WHERE design_json IS NOT NULL ORDER BY created_at DESC LIMIT 1").get() as { design_json: string } | undefined;
    return row ? parseDesign(row.design_json) : undefined;
  }

}

/** Jobs made before brand kits (or product images) existed get the defaults for what they lack. */
function parseDesign(json: string | null): Design {
  return json ? { ...DEFAULT_DESIGN, ...(JSON.parse(json) as Partial<Design>) } : DEFAULT_DESIGN;
}

function toImageRecord(row: ImageRow): ImageRecord {
  return {
    index: row.idx,
    prompt: row.prompt,
    seed: row.seed,
    status: row.status,
    fileId: row.file_id,
    compositeId: row.composite_id,
    thumbId: row.thumb_id,
    layout: row.layout,
    route: row.route,
    sourceWidth: row.source_width,
    sourceHeight: row.source_height,
    mimeType: row.mime_type,
    bytes: row.bytes,
    width: row.width,
    height: row.height,
    elapsedMs: row.elapsed_ms,
    errorCode: row.error_code,
    errorMessage: row.error_message,
  };
}
