import "server-only";
import type { Kysely } from "kysely";
import type { JobEvent } from "../logged-events";
import type { EventLog, RerunSlot, RunLog } from "../storage";
import { applyEvent, nextEventId } from "./sql-event-log";
import type { Db, Tables } from "./schema";

/** The run protocol: a job's current run writes its events only while it is current, and ends exactly once. */
export class SqlRunLog implements RunLog {
  constructor(
    private readonly db: Kysely<Tables>,
    /** Where a crashed run's closing event goes, as any other event. */
    private readonly log: Pick<EventLog, "recordEvent">,
  ) {}

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
      await this.log.recordEvent(
        job.id,
        { event: "done", data: { jobId: job.id, status: "interrupted", succeeded: count("done"), failed: count("failed"), cancelled: count("pending"), elapsedMs: 0 } },
        now,
      );
    }
    return running.map((job) => job.id);
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
