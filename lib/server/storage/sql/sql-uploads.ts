import "server-only";
import type { Kysely } from "kysely";
import type { UploadRegistry } from "../storage";
import type { Tables } from "./schema";

/** Uploads (logos, product images) as objects of their own, and the files rows refer to, for the sweep. */
export class SqlUploads implements UploadRegistry {
  constructor(private readonly db: Kysely<Tables>) {}

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
}
