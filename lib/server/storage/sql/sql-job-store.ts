import "server-only";
import type { Kysely, Selectable, Transaction } from "kysely";
import type { AdFormatId } from "@/lib/ad-formats";
import type { CampaignBrief, ProviderId } from "@/lib/campaign";
import { DEFAULT_DESIGN, type Design } from "@/lib/design";
import type { JobEvent } from "../logged-events";
import type { ImageRecord, JobRecord, JobSummary, NewJob } from "../job-records";
import type { JobListQuery, JobStore, RerunSlot } from "../storage";
import { creativeVariantSchema, type CreativeVariant } from "@/lib/variants";
import type { Tables } from "./schema";

type Db = Kysely<Tables> | Transaction<Tables>;

/**
 * Every query of the app, written once with Kysely for SQLite and Postgres alike, behind methods
 * that speak in domain terms. Nothing here is dialect-specific: what differed (JSON paths,
 * group_concat) became columns or a second query.
 */
export class SqlJobStore implements JobStore {
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
   * Appends one event to the job's log and applies what it means to the image rows, in one
   * transaction: when this resolves, the event and its effects are durable. The event's id is
   * taken by incrementing the job's counter in the same transaction, which also locks the job's
   * row (Postgres), so concurrent writers get consecutive ids in the order they commit. Returns
   * the id, and the files an `image` event replaced (a re-composited creative's previous ad).
   */
  async recordEvent(jobId: string, event: JobEvent, now: number): Promise<{ id: number; replaced: string[] }> {
    return this.db.transaction().execute(async (trx) => {
      const id = await nextEventId(trx, jobId);
      if (id === undefined) throw new Error(`no job ${jobId} to record ${event.event} in`);
      return { id, replaced: await applyEvent(trx, jobId, id, event, now) };
    });
  }

  /**
   * An event of one run, sent by whichever worker made it: recorded only while that run is the
   * job's current one and still going, and (for an image's result) while the image is still
   * pending. So a task redone after its worker died, or one that outlived a Stop, records
   * nothing twice and nothing late; null says it was not recorded.
   */
  async recordRunEvent(jobId: string, run: number, event: JobEvent, now: number): Promise<{ id: number; replaced: string[] } | null> {
    const index = event.event === "image" || event.event === "error" || event.event === "progress" ? event.data.index : undefined;
    return this.db.transaction().execute(async (trx) => {
      // One statement checks the run and the image, locks the job's row and takes the next id:
      // a worker waits on as few round trips as possible between its picture and its viewers.
      const taken = await trx
        .updateTable("jobs")
        .set((eb) => ({ last_event_id: eb("last_event_id", "+", 1) }))
        .where("id", "=", jobId)
        .where("run", "=", run)
        .where("status", "=", "running")
        .$if(index !== undefined, (query) =>
          query.where(({ exists, selectFrom }) => exists(selectFrom("images").select("images.idx").where("images.job_id", "=", jobId).where("images.idx", "=", index!).where("images.status", "=", "pending"))),
        )
        .returning("last_event_id")
        .executeTakeFirst();
      if (!taken) return null;
      return { id: taken.last_event_id, replaced: await applyEvent(trx, jobId, taken.last_event_id, event, now) };
    });
  }

  /**
   * Ends a run with its `done` event once none of its images is pending (or at once, as
   * `cancelled` or `interrupted`, when `ending` says so): exactly once, whoever calls it first.
   * Returns the recorded event, or null when the run is not over or was already ended.
   */
  async finishRun(
    jobId: string,
    run: number,
    indices: readonly number[],
    now: number,
    ending?: "cancelled" | "interrupted",
  ): Promise<{ id: number; event: Extract<JobEvent, { event: "done" }> } | null> {
    return this.db.transaction().execute(async (trx) => {
      const current = await lockRunningJob(trx, jobId, run);
      if (!current) return null;
      const wanted = new Set(indices);
      const statuses = (await trx.selectFrom("images").select(["idx", "status"]).where("job_id", "=", jobId).execute()).filter((image) => wanted.has(image.idx));
      const count = (status: string) => statuses.filter((image) => image.status === status).length;
      if (!ending && count("pending") > 0) return null;
      const status: "completed" | "cancelled" | "interrupted" = ending ?? "completed";
      const event = {
        event: "done" as const,
        data: { jobId, status, succeeded: count("done"), failed: count("failed"), cancelled: count("pending"), elapsedMs: Math.max(0, now - current.started_at) },
      };
      const id = (await nextEventId(trx, jobId))!;
      await applyEvent(trx, jobId, id, event, now);
      return { id, event };
    });
  }

  /** Jobs whose run is going, with that run's number (for the distributed mode's checks). */
  async runningJobs(): Promise<{ id: string; run: number; startedAt: number }[]> {
    const rows = await this.db.selectFrom("jobs").select(["id", "run", "started_at"]).where("status", "=", "running").execute();
    return rows.map((row) => ({ id: row.id, run: row.run, startedAt: row.started_at }));
  }

  async lastEventId(jobId: string): Promise<number | undefined> {
    return (await this.db.selectFrom("jobs").select("last_event_id").where("id", "=", jobId).executeTakeFirst())?.last_event_id;
  }

  async eventsAfter(jobId: string, afterId: number): Promise<{ id: number; event: string; data: string }[]> {
    return this.db.selectFrom("job_events").select(["id", "event", "data"]).where("job_id", "=", jobId).where("id", ">", afterId).orderBy("id").execute();
  }

  /**
   * Puts images back to pending for another run on the same job (resume, retry, regenerate,
   * more like this). Returns the files of images being replaced, to delete once committed.
   */
  async prepareRerun(jobId: string, images: RerunSlot[], now: number): Promise<{ replaced: string[]; run: number }> {
    return this.db.transaction().execute(async (trx) => {
      const replaced: string[] = [];
      for (const image of images) {
        const previous = await trx.selectFrom("images").select(["file_id", "composite_id", "thumb_id"]).where("job_id", "=", jobId).where("idx", "=", image.index).executeTakeFirst();
        for (const id of [previous?.file_id, previous?.composite_id, previous?.thumb_id]) if (id) replaced.push(id);
        await trx
          .insertInto("images")
          .values({ job_id: jobId, idx: image.index, prompt: image.prompt, seed: image.seed, status: "pending", layout: image.layout ?? null, variant_json: image.variant ? JSON.stringify(image.variant) : null, updated_at: now })
          .onConflict((conflict) =>
            conflict.columns(["job_id", "idx"]).doUpdateSet({
              prompt: image.prompt,
              seed: image.seed,
              status: "pending",
              file_id: null,
              composite_id: null,
              thumb_id: null,
              route: null,
              model: null,
              source_width: null,
              source_height: null,
              mime_type: null,
              bytes: null,
              width: null,
              height: null,
              elapsed_ms: null,
              error_code: null,
              error_message: null,
              updated_at: now,
            }),
          )
          .execute();
      }
      const updated = await trx
        .updateTable("jobs")
        .set((eb) => ({ status: "running", started_at: now, finished_at: null, run: eb("run", "+", 1) }))
        .where("id", "=", jobId)
        .returning("run")
        .executeTakeFirstOrThrow();
      return { replaced, run: updated.run };
    });
  }

  /** Jobs a crash left `running` (all, or the one named) become `interrupted`, with a closing event so replays end. */
  async markInterrupted(now: number, onlyJobId?: string): Promise<string[]> {
    const running = await this.db
      .selectFrom("jobs")
      .select("id")
      .where("status", "=", "running")
      .$if(onlyJobId !== undefined, (query) => query.where("id", "=", onlyJobId!))
      .execute();
    for (const job of running) {
      const statuses = await this.db.selectFrom("images").select("status").where("job_id", "=", job.id).execute();
      const count = (status: string) => statuses.filter((image) => image.status === status).length;
      await this.recordEvent(
        job.id,
        { event: "done", data: { jobId: job.id, status: "interrupted", succeeded: count("done"), failed: count("failed"), cancelled: count("pending"), elapsedMs: 0 } },
        now,
      );
    }
    return running.map((job) => job.id);
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

  async addUpload(id: string, kind: "logo" | "product", now: number, workspaceId: string): Promise<void> {
    await this.db.insertInto("uploads").values({ id, kind, created_at: now, workspace_id: workspaceId }).execute();
  }

  async isUpload(id: string, kind: "logo" | "product", workspaceId?: string): Promise<boolean> {
    const row = await this.db
      .selectFrom("uploads")
      .select("id")
      .where("id", "=", id)
      .where("kind", "=", kind)
      .$if(workspaceId !== undefined, (query) => query.where("workspace_id", "=", workspaceId!))
      .executeTakeFirst();
    return row !== undefined;
  }

  async workspaceOfJob(jobId: string): Promise<string | undefined> {
    return (await this.db.selectFrom("jobs").select("workspace_id").where("id", "=", jobId).executeTakeFirst())?.workspace_id;
  }

  async workspaceOfFile(fileId: string): Promise<string | undefined> {
    // Served on every picture a page shows: one round trip, each branch on its own index.
    const ofImages = (column: "file_id" | "composite_id" | "thumb_id") =>
      this.db.selectFrom("images").innerJoin("jobs", "jobs.id", "images.job_id").select("jobs.workspace_id").where(`images.${column}`, "=", fileId);
    const row = await this.db
      .selectFrom("uploads")
      .select("workspace_id")
      .where("id", "=", fileId)
      .unionAll(ofImages("file_id"))
      .unionAll(ofImages("composite_id"))
      .unionAll(ofImages("thumb_id"))
      .executeTakeFirst();
    return row?.workspace_id;
  }

  async moveWorkspace(from: string, to: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable("jobs").set({ workspace_id: to }).where("workspace_id", "=", from).execute();
      await trx.updateTable("uploads").set({ workspace_id: to }).where("workspace_id", "=", from).execute();
    });
  }

  async referencedFiles(): Promise<Set<string>> {
    const rows = await this.db
      .selectFrom("images")
      .select("file_id as id")
      .where("file_id", "is not", null)
      .union((eb) => eb.selectFrom("images").select("composite_id as id").where("composite_id", "is not", null))
      .union((eb) => eb.selectFrom("images").select("thumb_id as id").where("thumb_id", "is not", null))
      .union((eb) => eb.selectFrom("uploads").select("id"))
      .execute();
    return new Set(rows.map((row) => row.id).filter((id): id is string => id !== null));
  }

  async dropUnusedUploads(before: number): Promise<string[]> {
    return this.db.transaction().execute(async (trx) => {
      const unused = await trx
        .selectFrom("uploads")
        .select("id")
        .where("created_at", "<", before)
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom("jobs").select("jobs.id").where((eb) => eb.or([eb("jobs.logo_id", "=", eb.ref("uploads.id")), eb("jobs.product_id", "=", eb.ref("uploads.id"))])))),
        )
        // A saved brand kit keeps its logo and packshot however long no campaign uses them.
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom("brand_kits").select("brand_kits.id").where((eb) => eb.or([eb("brand_kits.logo_id", "=", eb.ref("uploads.id")), eb("brand_kits.product_id", "=", eb.ref("uploads.id"))])))),
        )
        .execute();
      const ids = unused.map(({ id }) => id);
      if (ids.length > 0) await trx.deleteFrom("uploads").where("id", "in", ids).execute();
      return ids;
    });
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

/** The job's row, locked for this transaction, when `run` is its current run and still going. */
async function lockRunningJob(trx: Db, jobId: string, run: number): Promise<{ started_at: number } | undefined> {
  // An UPDATE that changes nothing takes the row lock in Postgres (SQLite's BEGIN IMMEDIATE already holds the database).
  return trx
    .updateTable("jobs")
    .set((eb) => ({ run: eb.ref("run") }))
    .where("id", "=", jobId)
    .where("run", "=", run)
    .where("status", "=", "running")
    .returning("started_at")
    .executeTakeFirst();
}

async function nextEventId(trx: Db, jobId: string): Promise<number | undefined> {
  const row = await trx
    .updateTable("jobs")
    .set((eb) => ({ last_event_id: eb("last_event_id", "+", 1) }))
    .where("id", "=", jobId)
    .returning("last_event_id")
    .executeTakeFirst();
  return row?.last_event_id;
}

async function applyEvent(trx: Db, jobId: string, eventId: number, event: JobEvent, now: number): Promise<string[]> {
  await trx.insertInto("job_events").values({ job_id: jobId, id: eventId, event: event.event, data: JSON.stringify(event.data) }).execute();
  if (event.event === "image") {
    const d = event.data;
    const previous = await trx.selectFrom("images").select(["composite_id", "thumb_id"]).where("job_id", "=", jobId).where("idx", "=", d.index).executeTakeFirst();
    await trx
      .updateTable("images")
      .set((eb) => ({
        status: "done",
        file_id: d.rawId,
        composite_id: d.compositeId,
        thumb_id: d.thumbId,
        layout: d.layout,
        mime_type: d.mimeType,
        bytes: d.bytes,
        width: d.width,
        height: d.height,
        elapsed_ms: Math.round(d.elapsedMs),
        seed: d.seed,
        prompt: d.prompt,
        route: d.route ?? eb.ref("route"),
        model: d.model ?? eb.ref("model"),
        variant_json: d.variant ? JSON.stringify(d.variant) : eb.ref("variant_json"),
        // A new picture brings its own (or none); an edit's event carries the picture's on.
        warnings_json: d.warnings?.length ? JSON.stringify(d.warnings) : null,
        source_width: d.sourceWidth ?? eb.ref("source_width"),
        source_height: d.sourceHeight ?? eb.ref("source_height"),
        error_code: null,
        error_message: null,
        updated_at: now,
      }))
      .where("job_id", "=", jobId)
      .where("idx", "=", d.index)
      .execute();
    return [previous?.composite_id, previous?.thumb_id].filter((id): id is string => Boolean(id) && id !== d.compositeId && id !== d.thumbId);
  }
  if (event.event === "error") {
    await trx
      .updateTable("images")
      .set({ status: "failed", error_code: event.data.code, error_message: event.data.message, updated_at: now })
      .where("job_id", "=", jobId)
      .where("idx", "=", event.data.index)
      .execute();
  } else if (event.event === "done") {
    const imageStatus = event.data.status === "interrupted" ? "interrupted" : "cancelled";
    await trx.updateTable("images").set({ status: imageStatus, updated_at: now }).where("job_id", "=", jobId).where("status", "=", "pending").execute();
    await trx.updateTable("jobs").set({ status: event.data.status, finished_at: now }).where("id", "=", jobId).execute();
  }
  return [];
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
