import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Kysely } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_BRIEF } from "@/lib/campaign";
import { SqlBrandKitStore } from "@/lib/server/storage/sql/sql-brand-kit-store";
import { SqlJobStore } from "@/lib/server/storage/sql/sql-job-store";
import type { Tables } from "@/lib/server/storage/sql/schema";
import { openSqlite } from "@/lib/server/storage/sqlite/open-sqlite";
import { AppError } from "@/lib/server/use-cases/app-error";
import { deleteBrandKit, listBrandKits, saveBrandKit } from "@/lib/server/use-cases/brand-kits";
import type { Caller } from "@/lib/server/auth/caller";

let dir: string;
let db: Kysely<Tables>;
let kits: SqlBrandKitStore;
let repo: SqlJobStore;
let ids = 0;

const LOGO = `${"a".repeat(32)}.png`;
const bakery = { name: "Crumb & Co", brandName: "Crumb & Co", primaryColor: "#7B3F00", secondaryColor: "#F6E7C8", logoId: LOGO, productId: null, brief: { ...DEFAULT_BRIEF, productName: "Sourdough subscription", productDescription: "Bread, twice a week", targetAudience: "Busy families" } };
const coffee = { name: "Aurora", brandName: "Aurora", primaryColor: "#1F2A44", secondaryColor: "#F2B84B", logoId: null, productId: null, brief: DEFAULT_BRIEF };

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "acg-kits-"));
  db = openSqlite(dir);
  kits = new SqlBrandKitStore(db);
  repo = new SqlJobStore(db);
});

afterEach(async () => {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const deps = (isUpload = async () => true) => ({ kits, uploadsIn: () => ({ store: undefined as never, isUpload }), now: () => 1_000, newId: () => `kit${String(++ids).padStart(13, "0")}` });
const caller = (workspaceId: string): Caller => ({ workspaceId, userId: "u", role: "owner" });

describe("brand kits", () => {
  it("keeps one kit per client with its brief, by name; saving a name again replaces that kit", async () => {
    await saveBrandKit(deps(), caller("ws-1"), bakery);
    await saveBrandKit(deps(), caller("ws-1"), coffee);
    const renamed = await saveBrandKit(deps(), caller("ws-1"), { ...coffee, primaryColor: "#000000" });
    const listed = await kits.list("ws-1");
    expect(listed.map((kit) => [kit.name, kit.primaryColor, kit.brief.productName])).toEqual([
      ["Aurora", "#000000", "Aurora Cold Brew"],
      ["Crumb & Co", "#7B3F00", "Sourdough subscription"],
    ]);
    expect(renamed.id).toBe(listed[0]!.id);
  });

  it("shows and deletes a workspace's kits only to that workspace", async () => {
    const saved = await saveBrandKit(deps(), caller("ws-1"), bakery);
    expect(await listBrandKits(deps(), caller("ws-2"))).toEqual([]);
    await expect(deleteBrandKit(deps(), caller("ws-2"), saved.id)).rejects.toMatchObject({ code: "not-found" });
    await deleteBrandKit(deps(), caller("ws-1"), saved.id);
    expect(await listBrandKits(deps(), caller("ws-1"))).toEqual([]);
  });

  it("refuses a logo that is not the workspace's own upload", async () => {
    const refused = saveBrandKit(deps(async () => false), caller("ws-1"), bakery);
    await expect(refused).rejects.toBeInstanceOf(AppError);
    await expect(refused).rejects.toMatchObject({ code: "invalid", message: "That logo is not one of this workspace's uploads: upload it again.", field: "logoId" });
  });

  it("keeps a kit's logo through the clean-up of uploads no campaign uses", async () => {
    const other = `${"b".repeat(32)}.png`;
    await repo.addUpload(LOGO, "logo", 0, "ws-1");
    await repo.addUpload(other, "logo", 0, "ws-1");
    await saveBrandKit(deps(), caller("ws-1"), bakery);
    expect(await repo.dropUnusedUploads(10_000)).toEqual([other]);
    expect(await repo.isUpload(LOGO, "logo", "ws-1")).toBe(true);
  });
});
