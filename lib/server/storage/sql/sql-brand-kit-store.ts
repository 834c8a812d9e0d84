import "server-only";
import type { Kysely } from "kysely";
import { brandKitSchema, type SavedBrandKit } from "@/lib/brand-kits";
import type { BrandKitStore } from "../brand-kit-store";
import type { Tables } from "./schema";

/** Brand kits in SQLite or Postgres; the logo and packshot are columns so upload clean-up can see them. */
export class SqlBrandKitStore implements BrandKitStore {
  constructor(private readonly db: Kysely<Tables>) {}

  async list(workspaceId: string): Promise<SavedBrandKit[]> {
    const rows = await this.db.selectFrom("brand_kits").select(["id", "kit_json", "updated_at"]).where("workspace_id", "=", workspaceId).orderBy("name").execute();
    return rows.flatMap((row) => {
      const parsed = brandKitSchema.safeParse({ ...JSON.parse(row.kit_json), id: row.id, updatedAt: row.updated_at });
      return parsed.success ? [parsed.data] : [];
    });
  }

  async save(workspaceId: string, kit: Omit<SavedBrandKit, "id">, newId: string): Promise<SavedBrandKit> {
    return this.db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom("brand_kits").select("id").where("workspace_id", "=", workspaceId).where("name", "=", kit.name).executeTakeFirst();
      const id = existing?.id ?? newId;
      const { updatedAt, ...rest } = kit;
      const values = { kit_json: JSON.stringify(rest), logo_id: kit.logoId ?? null, product_id: kit.productId ?? null, updated_at: updatedAt };
      if (existing) await trx.updateTable("brand_kits").set(values).where("id", "=", id).execute();
      else await trx.insertInto("brand_kits").values({ id, workspace_id: workspaceId, name: kit.name, ...values }).execute();
      return { ...kit, id };
    });
  }

  async remove(workspaceId: string, id: string): Promise<boolean> {
    const result = await this.db.deleteFrom("brand_kits").where("workspace_id", "=", workspaceId).where("id", "=", id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async count(workspaceId: string): Promise<number> {
    const row = await this.db.selectFrom("brand_kits").select((eb) => eb.fn.countAll<number>().as("n")).where("workspace_id", "=", workspaceId).executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}
