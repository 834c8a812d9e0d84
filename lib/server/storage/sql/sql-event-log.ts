import "server-only";
import type { Kysely } from "kysely";
import type { JobEvent } from "../logged-events";
import type { EventLog } from "../storage";
import type { Db, Tables } from "./schema";

/** Each job's event log: an event appended gets the next id and is applied to the job's rows in the same transaction. */
export class SqlEventLog implements EventLog {
  constructor(private readonly db: Kysely<Tables>) {}

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

  async lastEventId(jobId: string): Promise<number | undefined> {
    return (await this.db.selectFrom("jobs").select("last_event_id").where("id", "=", jobId).executeTakeFirst())?.last_event_id;
  }

  async eventsAfter(jobId: string, afterId: number): Promise<{ id: number; event: string; data: string }[]> {
    return this.db.selectFrom("job_events").select(["id", "event", "data"]).where("job_id", "=", jobId).where("id", ">", afterId).orderBy("id").execute();
  }
}

export async function nextEventId(trx: Db, jobId: string): Promise<number | undefined> {
  const row = await trx
    .updateTable("jobs")
    .set((eb) => ({ last_event_id: eb("last_event_id", "+", 1) }))
    .where("id", "=", jobId)
    .returning("last_event_id")
    .executeTakeFirst();
  return row?.last_event_id;
}

export async function applyEvent(trx: Db, jobId: string, eventId: number, event: JobEvent, now: number): Promise<string[]> {
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
