import "server-only";
import type { Kysely } from "kysely";
import type { Ownership } from "../storage";
import type { Tables } from "./schema";

/** Whose jobs, uploads and files are: the workspace of each. */
export class SqlOwnership implements Ownership {
  constructor(private readonly db: Kysely<Tables>) {}

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
}
