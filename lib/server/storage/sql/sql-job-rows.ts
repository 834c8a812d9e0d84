import "server-only";
import type { Kysely, Selectable } from "kysely";
import type { AdFormatId } from "@/lib/ad-formats";
import type { CampaignBrief, ProviderId } from "@/lib/campaign";
import { DEFAULT_DESIGN, type Design } from "@/lib/design";
import type { ImageRecord, JobRecord, JobSummary, NewJob } from "../job-records";
import type { JobListQuery, JobRows } from "../storage";
import { creativeVariantSchema, type CreativeVariant } from "@/lib/variants";
import type { Tables } from "./schema";

/** A job's rows: the job, its campaign and images, as the history and the job page read them, and the edits that change them. */
export class SqlJobRows implements JobRows {
  constructor(private readonly db: Kysely<Tables>) {}

  async createJob(job: NewJob): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto("campaigns").values({ id: job.campaignId, created_at: job.now, product_name: job.brief.productName, brief_json: JSON.stringify(job.brief) }).execute();
      await trx
        .insertInto("jobs")
        .values({
          id: job.id,
          campaign_id: job.campaignId,
          status: "running",
          provider: job.provider,
          model: job.model,
          format: job.format,
          width: job.width,
          height: job.height,
          seed: job.seed,
          negative_prompt: job.negativePrompt,
          created_at: job.now,
          started_at: job.now,
          last_event_id: 0,
          design_json: JSON.stringify(job.design),
          preset: job.preset,
          logo_id: job.design.logoId ?? null,
          product_id: job.design.productId ?? null,
          workspace_id: job.workspaceId,
        })
        .execute();
      if (job.images.length > 0) {
        await trx
          .insertInto("images")
          .values(job.images.map((image) => ({ job_id: job.id, idx: image.index, prompt: image.prompt, seed: image.seed, status: "pending" as const, layout: image.layout ?? null, variant_json: image.variant ? JSON.stringify(image.variant) : null, updated_at: job.now })))
          .execute();
      }
    });
  }

  /** Whether the job exists, without reading its images. */
  async hasJob(id: string): Promise<boolean> {
    return (await this.db.selectFrom("jobs").select("id").where("id", "=", id).executeTakeFirst()) !== undefined;
  }

  async getJob(id: string): Promise<JobRecord | undefined> {
    const row = await this.db
      .selectFrom("jobs")
      .innerJoin("campaigns", "campaigns.id", "jobs.campaign_id")
      .selectAll("jobs")
      .select("campaigns.brief_json")
      .where("jobs.id", "=", id)
      .executeTakeFirst();
    if (!row) return undefined;
    const images = await this.db.selectFrom("images").selectAll().where("job_id", "=", id).orderBy("idx").execute();
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
      run: row.run,
      images: images.map(toImageRecord),
    };
  }

  /** Newest first; `before` is the cursor of the last row of the previous page. */
  async listJobs(options: JobListQuery): Promise<{ jobs: JobSummary[]; next?: { createdAt: number; id: string } }> {
    const before = options.before;
    const rows = await this.db
      .selectFrom("jobs")
      .innerJoin("campaigns", "campaigns.id", "jobs.campaign_id")
      .select(["jobs.id", "jobs.status", "jobs.provider", "jobs.model", "jobs.format", "jobs.created_at", "jobs.design_json", "campaigns.product_name"])
      .where("jobs.workspace_id", "=", options.workspaceId)
      .$if(before !== undefined, (query) =>
        query.where((eb) => eb.or([eb("jobs.created_at", "<", before!.createdAt), eb.and([eb("jobs.created_at", "=", before!.createdAt), eb("jobs.id", "<", before!.id)])])),
      )
      .orderBy("jobs.created_at", "desc")
      .orderBy("jobs.id", "desc")
      .limit(options.limit + 1)
      .execute();
    const page = rows.slice(0, options.limit);
    // One query for the page's images instead of a correlated subquery per job (and per dialect).
    const images =
      page.length === 0
        ? []
        : await this.db
            .selectFrom("images")
            .select(["job_id", "status", "thumb_id", "variant_json"])
            .where(
              "job_id",
              "in",
              page.map((row) => row.id),
            )
            .orderBy("job_id")
            .orderBy("idx")
            .execute();
    const counts = new Map<string, { total: number; succeeded: number; failed: number; thumbIds: string[]; ownFormats: Set<AdFormatId> }>();
    for (const image of images) {
      const entry = counts.get(image.job_id) ?? { total: 0, succeeded: 0, failed: 0, thumbIds: [], ownFormats: new Set<AdFormatId>() };
      const own = parseVariant(image.variant_json)?.format;
      if (own) entry.ownFormats.add(own);
      entry.total++;
      if (image.status === "done") entry.succeeded++;
      if (image.status === "failed") entry.failed++;
      if (image.thumb_id && entry.thumbIds.length < 4) entry.thumbIds.push(image.thumb_id);
      counts.set(image.job_id, entry);
    }
    const jobs = page.map((row) => ({
      id: row.id,
      productName: row.product_name,
      headline: parseDesign(row.design_json).headline,
      status: row.status,
      provider: row.provider,
      model: row.model,
      format: row.format,
      createdAt: row.created_at,
      ...jobCounts(counts.get(row.id), row.format),
    }));
    const last = page.at(-1);
    return { jobs, next: rows.length > options.limit && last ? { createdAt: last.created_at, id: last.id } : undefined };
  }

  /**
   * The files a job owns (its pictures, ads and previews), so they can be removed after its
   * rows. Uploads are not the job's: they stay for other campaigns until the sweep finds them unused.
   */
  async filesOfJob(jobId: string): Promise<string[] | undefined> {
    if (!(await this.hasJob(jobId))) return undefined;
    const rows = await this.db.selectFrom("images").select(["file_id", "composite_id", "thumb_id"]).where("job_id", "=", jobId).execute();
    const ids = rows.flatMap((row) => [row.file_id, row.composite_id, row.thumb_id]).filter((id): id is string => Boolean(id));
    if (ids.length === 0) return [];
    const uploads = new Set((await this.db.selectFrom("uploads").select("id").where("id", "in", ids).execute()).map((row) => row.id));
    return ids.filter((id) => !uploads.has(id));
  }

  /** Deletes the job, its campaign (when no other job uses it) and its event log. */
  async deleteJob(jobId: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const job = await trx.selectFrom("jobs").select("campaign_id").where("id", "=", jobId).executeTakeFirst();
      if (!job) return false;
      // Explicit rather than by cascade, so SQLite files opened without foreign keys clean up too.
      await trx.deleteFrom("job_events").where("job_id", "=", jobId).execute();
      await trx.deleteFrom("images").where("job_id", "=", jobId).execute();
      await trx.deleteFrom("jobs").where("id", "=", jobId).execute();
      await trx
        .deleteFrom("campaigns")
        .where("id", "=", job.campaign_id)
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom("jobs").select("jobs.id").where("jobs.campaign_id", "=", job.campaign_id))))
        .execute();
      return true;
    });
  }

  /** For download filenames: which campaign and slot a stored file belongs to. */
  async describeFile(fileId: string): Promise<{ productName: string; index: number; raw: boolean } | undefined> {
    const row = await this.db
      .selectFrom("images")
      .innerJoin("jobs", "jobs.id", "images.job_id")
      .innerJoin("campaigns", "campaigns.id", "jobs.campaign_id")
      .select(["campaigns.product_name", "images.idx", "images.file_id"])
      .where((eb) => eb.or([eb("images.file_id", "=", fileId), eb("images.composite_id", "=", fileId)]))
      .executeTakeFirst();
    return row ? { productName: row.product_name, index: row.idx, raw: row.file_id === fileId } : undefined;
  }

  /** The provider and model the job's next images are made with (after "Retry with …"). */
  async updateProvider(jobId: string, provider: ProviderId, model: string): Promise<void> {
    await this.db.updateTable("jobs").set({ provider, model }).where("id", "=", jobId).execute();
  }

  async updateDesign(jobId: string, design: Design, format: AdFormatId): Promise<void> {
    await this.db
      .updateTable("jobs")
      .set({ design_json: JSON.stringify(design), format, logo_id: design.logoId ?? null, product_id: design.productId ?? null })
      .where("id", "=", jobId)
      .execute();
  }

  /** The brand kit of the most recent campaign, offered as the next campaign's starting point. */
  async latestDesign(workspaceId: string): Promise<Design | undefined> {
    const row = await this.db
      .selectFrom("jobs")
      .select("design_json")
      .where("workspace_id", "=", workspaceId)
      .where("design_json", "is not", null)
      .orderBy("created_at", "desc")
      .limit(1)
      .executeTakeFirst();
    return row?.design_json ? parseDesign(row.design_json) : undefined;
  }
}

/** A history row's figures, and every format of its set (the job's first). */
function jobCounts(entry: { total: number; succeeded: number; failed: number; thumbIds: string[]; ownFormats: Set<AdFormatId> } | undefined, format: AdFormatId) {
  if (!entry) return { total: 0, succeeded: 0, failed: 0, thumbIds: [], formats: [format] };
  const { ownFormats, ...figures } = entry;
  return { ...figures, formats: [...new Set([format, ...ownFormats])] };
}

/** Jobs made before brand kits (or product images) existed get the defaults for what they lack. */
function parseDesign(json: string | null): Design {
  return json ? { ...DEFAULT_DESIGN, ...(JSON.parse(json) as Partial<Design>) } : DEFAULT_DESIGN;
}

function toImageRecord(row: Selectable<Tables["images"]>): ImageRecord {
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
    variant: parseVariant(row.variant_json),
    model: row.model,
    warnings: row.warnings_json ? (JSON.parse(row.warnings_json) as string[]) : [],
  };
}

/** A stored variant, or null for images made before variant sets (or a row this code cannot read). */
function parseVariant(json: string | null): CreativeVariant | null {
  if (!json) return null;
  const parsed = creativeVariantSchema.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : null;
}
