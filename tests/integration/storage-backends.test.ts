import { Readable } from "node:stream";
import Database from "better-sqlite3";
import { sql, type Kysely } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_BRIEF } from "@/lib/campaign";
import { DEFAULT_DESIGN } from "@/lib/design";
import type { ImageRecord } from "@/lib/server/storage/logged-events";
import type { NewJob } from "@/lib/server/storage/job-records";
import { FileImageStore } from "@/lib/server/storage/files/file-image-store";
import { createPostgres, migratePostgres, openPostgres, postgresMigrations } from "@/lib/server/storage/postgres/open-postgres";
import { S3ImageStore } from "@/lib/server/storage/s3/s3-image-store";
import { SqlJobStore } from "@/lib/server/storage/sql/sql-job-store";
import type { SchemaChange, Tables } from "@/lib/server/storage/sql/schema";
import { schemaChangesAsSql } from "@/lib/server/storage/sql/schema-sql";
import { migrate, openSqlite, sqliteMigrations } from "@/lib/server/storage/sqlite/open-sqlite";
import type { ImageStorage, JobStore } from "@/lib/server/storage/storage";
import { makeTempDir, removeDir } from "../support/app-server";
import { startPostgres, type PostgresServer } from "../support/services/postgres-server";
import { startS3, type S3Server } from "../support/services/s3-server";

/**
 * The same behaviour from both job stores (SQLite embedded, Postgres distributed: one set of
 * queries) and both image stores (files, S3), each against a real server started here.
 */

let postgres: PostgresServer;
let s3: S3Server;
let dir: string;
const opened: Kysely<Tables>[] = [];

beforeAll(async () => {
  dir = makeTempDir("acg-backends-");
  [postgres, s3] = await Promise.all([startPostgres(), startS3()]);
});

afterAll(async () => {
  await Promise.all(opened.map((db) => db.destroy()));
  await Promise.all([postgres?.stop(), s3?.stop()]);
  removeDir(dir);
});

const jobStores: [string, () => Promise<JobStore>][] = [
  ["SQLite", async () => new SqlJobStore(track(openSqlite(makeTempDir("acg-sqlite-"))))],
  ["Postgres", async () => new SqlJobStore(track(await openPostgres(postgres.url)))],
];

function track(db: Kysely<Tables>): Kysely<Tables> {
  opened.push(db);
  return db;
}

let jobs = 0;
function newJob(count: number, extra: Partial<NewJob> = {}): NewJob {
  const id = `job-${String(++jobs).padStart(12, "0")}`;
  return {
    id,
    campaignId: `campaign-${id}`,
    brief: DEFAULT_BRIEF,
    design: DEFAULT_DESIGN,
    preset: "auto",
    provider: "builtin",
    model: "builtin",
    format: "instagram-square",
    width: 1080,
    height: 1080,
    seed: 4_000_000_000,
    negativePrompt: "",
    images: Array.from({ length: count }, (_, index) => ({ index, prompt: `prompt ${index}`, seed: 100 + index })),
    now: 1_000 + jobs,
    workspaceId: "ws-a",
    ...extra,
  };
}

const fileId = (tag: string, n: number, ext = "jpg") => `${tag}${String(n).padStart(31, "0")}.${ext}`;
function image(index: number, n: number): ImageRecord {
  return {
    index,
    compositeId: fileId("a", n),
    thumbId: fileId("b", n, "webp"),
    rawId: fileId("c", n, "png"),
    format: "instagram-square",
    layout: "bottom-band",
    width: 1080,
    height: 1080,
    seed: 100 + index,
    prompt: `prompt ${index}`,
    provider: "builtin",
    elapsedMs: 12.4,
    mimeType: "image/jpeg",
    bytes: 1234,
    placeholder: "",
    readyAt: 5,
  };
}

describe.each(jobStores)("the job store on %s", (_name, open) => {
  let repo: JobStore;
  beforeAll(async () => {
    repo = await open();
  });

  it("keeps a job with its images, and lists jobs newest first a page at a time", async () => {
    const first = newJob(3);
    const second = newJob(2);
    await repo.createJob(first);
    await repo.createJob(second);
    const job = await repo.getJob(first.id);
    expect(job).toMatchObject({ id: first.id, status: "running", seed: 4_000_000_000, lastEventId: 0, brief: DEFAULT_BRIEF });
    expect(job?.images.map((image) => [image.index, image.status, image.seed])).toEqual([
      [0, "pending", 100],
      [1, "pending", 101],
      [2, "pending", 102],
    ]);
    expect(await repo.hasJob(first.id)).toBe(true);
    expect(await repo.hasJob("job-nothing-here")).toBe(false);

    const page = await repo.listJobs({ workspaceId: "ws-a", limit: 1 });
    expect(page.jobs.map((row) => row.id)).toEqual([second.id]);
    const next = await repo.listJobs({ workspaceId: "ws-a", limit: 1, before: page.next });
    expect(next.jobs[0]).toMatchObject({ id: first.id, total: 3, succeeded: 0, failed: 0, thumbIds: [] });
  });

  it("gives each event the next id even when many are recorded at once, and applies what it means", async () => {
    const job = newJob(4);
    await repo.createJob(job);
    const ids = await Promise.all(
      Array.from({ length: 20 }, (_, n) => repo.recordEvent(job.id, { event: "progress", data: { index: n % 4, status: "generating", attempt: 1, message: `m${n}`, completed: 0, total: 4 } }, 10)),
    );
    expect(ids.map((recorded) => recorded.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, n) => n + 1));

    await repo.recordEvent(job.id, { event: "image", data: image(0, 1) }, 11);
    await repo.recordEvent(job.id, { event: "error", data: { index: 1, code: "timeout", message: "slow", retryable: true } }, 12);
    // A re-composited creative replaces its ad and preview; the picture stays.
    const replaced = await repo.recordEvent(job.id, { event: "image", data: { ...image(0, 2), rawId: fileId("c", 1, "png") } }, 13);
    expect(replaced.replaced.sort()).toEqual([fileId("a", 1), fileId("b", 1, "webp")].sort());
    await repo.recordEvent(job.id, { event: "done", data: { jobId: job.id, status: "cancelled", succeeded: 1, failed: 1, cancelled: 2, elapsedMs: 9 } }, 14);

    const stored = await repo.getJob(job.id);
    expect(stored?.status).toBe("cancelled");
    expect(stored?.lastEventId).toBe(24);
    expect(stored?.images.map((row) => row.status)).toEqual(["done", "failed", "cancelled", "cancelled"]);
    expect(stored?.images[0]).toMatchObject({ compositeId: fileId("a", 2), fileId: fileId("c", 1, "png"), elapsedMs: 12, bytes: 1234 });
    expect(stored?.images[1]).toMatchObject({ errorCode: "timeout", errorMessage: "slow" });
    const after = await repo.eventsAfter(job.id, 21);
    expect(after.map((row) => [row.id, row.event])).toEqual([
      [22, "error"],
      [23, "image"],
      [24, "done"],
    ]);
    expect(await repo.describeFile(fileId("c", 1, "png"))).toEqual({ productName: DEFAULT_BRIEF.productName, index: 0, raw: true });
    expect(await repo.describeFile(fileId("a", 2))).toEqual({ productName: DEFAULT_BRIEF.productName, index: 0, raw: false });
  });

  it("puts images back for a rerun, and closes what a crash left running", async () => {
    const job = newJob(2);
    await repo.createJob(job);
    await repo.recordEvent(job.id, { event: "image", data: image(0, 3) }, 20);
    const { replaced, run } = await repo.prepareRerun(job.id, [{ index: 0, prompt: "again", seed: 7 }, { index: 2, prompt: "more", seed: 8 }], 21);
    expect(run).toBe(2);
    expect(replaced.sort()).toEqual([fileId("a", 3), fileId("b", 3, "webp"), fileId("c", 3, "png")].sort());
    const rerun = await repo.getJob(job.id);
    expect(rerun?.images.map((row) => [row.index, row.status, row.prompt, row.compositeId])).toEqual([
      [0, "pending", "again", null],
      [1, "pending", "prompt 1", null],
      [2, "pending", "more", null],
    ]);
    expect(await repo.markInterrupted(22, job.id)).toEqual([job.id]);
    const closed = await repo.getJob(job.id);
    expect(closed?.status).toBe("interrupted");
    const last = (await repo.eventsAfter(job.id, 0)).at(-1);
    expect(last?.event).toBe("done");
    expect(JSON.parse(last!.data)).toMatchObject({ status: "interrupted", cancelled: 3 });
  });

  it("records a run's events only while that run is current and its image pending, and ends the run exactly once", async () => {
    const job = newJob(2);
    await repo.createJob(job);
    const progress = (index: number) => ({ event: "progress" as const, data: { index, status: "generating" as const, attempt: 1, message: "Generating", completed: 0, total: 2 } });
    expect(await repo.recordRunEvent(job.id, 1, progress(0), 40)).toMatchObject({ id: 1 });
    expect(await repo.recordRunEvent(job.id, 1, { event: "image", data: image(0, 5) }, 41)).toMatchObject({ id: 2 });
    // The same image again (a task redone after its worker died): not recorded twice.
    expect(await repo.recordRunEvent(job.id, 1, { event: "image", data: image(0, 6) }, 42)).toBeNull();
    expect(await repo.recordRunEvent(job.id, 7, progress(1), 42)).toBeNull();
    expect(await repo.finishRun(job.id, 1, [0, 1], 43)).toBeNull();
    expect(await repo.recordRunEvent(job.id, 1, { event: "error", data: { index: 1, code: "timeout", message: "slow", retryable: true } }, 44)).toMatchObject({ id: 3 });
    const [first, second] = await Promise.all([repo.finishRun(job.id, 1, [0, 1], 45), repo.finishRun(job.id, 1, [0, 1], 45)]);
    const ended = first ?? second;
    expect([first, second].filter(Boolean)).toHaveLength(1);
    expect(ended).toMatchObject({ id: 4, event: { event: "done", data: { status: "completed", succeeded: 1, failed: 1, cancelled: 0 } } });
    expect(await repo.recordRunEvent(job.id, 1, progress(1), 46)).toBeNull();

    // A Stop ends the next run at once; what was pending is cancelled.
    const { run } = await repo.prepareRerun(job.id, [{ index: 1, prompt: "again", seed: 1 }], 47);
    expect(await repo.runningJobs()).toContainEqual({ id: job.id, run, startedAt: 47 });
    expect(await repo.finishRun(job.id, run, [1], 50, "cancelled")).toMatchObject({ event: { data: { status: "cancelled", succeeded: 0, cancelled: 1, elapsedMs: 3 } } });
    expect((await repo.getJob(job.id))?.images.map((row) => row.status)).toEqual(["done", "cancelled"]);
  });

  it("keeps each workspace's jobs, files, uploads and brand kit to itself, and moves them whole", async () => {
    const mine = newJob(1, { workspaceId: "ws-mine", design: { ...DEFAULT_DESIGN, headline: "Mine" } });
    const theirs = newJob(1, { workspaceId: "ws-theirs", design: { ...DEFAULT_DESIGN, headline: "Theirs" } });
    await repo.createJob(mine);
    await repo.createJob(theirs);
    await repo.recordEvent(theirs.id, { event: "image", data: image(0, 90) }, 30);
    const theirLogo = fileId("e", 1, "png");
    // Made later than the sweep below looks (it drops unused uploads made before 2).
    await repo.addUpload(theirLogo, "logo", 5_000, "ws-theirs");

    expect((await repo.listJobs({ workspaceId: "ws-mine", limit: 10 })).jobs.map((row) => row.id)).toEqual([mine.id]);
    expect(await repo.workspaceOfJob(theirs.id)).toBe("ws-theirs");
    expect(await repo.workspaceOfJob("job-nothing-here")).toBeUndefined();
    // Every file of a creative (picture, ad, preview) and every upload names its workspace.
    for (const file of [fileId("a", 90), fileId("c", 90, "png"), fileId("b", 90, "webp"), theirLogo]) expect(await repo.workspaceOfFile(file)).toBe("ws-theirs");
    expect(await repo.workspaceOfFile(fileId("z", 1))).toBeUndefined();
    expect(await repo.isUpload(theirLogo, "logo", "ws-theirs")).toBe(true);
    expect(await repo.isUpload(theirLogo, "logo", "ws-mine")).toBe(false);
    expect(await repo.latestDesign("ws-mine")).toMatchObject({ headline: "Mine" });
    expect(await repo.latestDesign("ws-nobody")).toBeUndefined();

    // What existed before accounts (the 'local' workspace) goes to the first account's workspace.
    await repo.moveWorkspace("ws-theirs", "ws-moved");
    expect(await repo.workspaceOfJob(theirs.id)).toBe("ws-moved");
    expect(await repo.workspaceOfFile(theirLogo)).toBe("ws-moved");
    expect(await repo.workspaceOfJob(mine.id)).toBe("ws-mine");
  });

  it("keeps uploads apart from jobs: unused ones are dropped, named ones stay, deletes spare them", async () => {
    const logo = fileId("d", 1, "png");
    const unused = fileId("d", 2, "png");
    await repo.addUpload(logo, "logo", 1, "ws-a");
    await repo.addUpload(unused, "product", 1, "ws-a");
    expect(await repo.isUpload(logo, "logo")).toBe(true);
    expect(await repo.isUpload(logo, "product")).toBe(false);
    const job = newJob(1, { design: { ...DEFAULT_DESIGN, logoId: logo, headline: "Named" } });
    await repo.createJob(job);
    await repo.recordEvent(job.id, { event: "image", data: image(0, 4) }, 30);
    expect(await repo.latestDesign("ws-a")).toMatchObject({ headline: "Named", logoId: logo });
    expect(await repo.dropUnusedUploads(2)).toEqual([unused]);
    expect((await repo.referencedFiles()).has(logo)).toBe(true);
    expect(await repo.filesOfJob(job.id)).toEqual([fileId("c", 4, "png"), fileId("a", 4), fileId("b", 4, "webp")]);

    expect(await repo.deleteJob(job.id)).toBe(true);
    expect(await repo.getJob(job.id)).toBeUndefined();
    expect(await repo.eventsAfter(job.id, 0)).toEqual([]);
    expect(await repo.isUpload(logo, "logo")).toBe(true);
    expect(await repo.deleteJob(job.id)).toBe(false);
    // Once no campaign names it, the logo goes too.
    expect(await repo.dropUnusedUploads(2)).toEqual([logo]);
  });
});

const imageStores: [string, () => ImageStorage][] = [
  ["files", () => new FileImageStore(makeTempDir("acg-files-"))],
  [
    "S3",
    () =>
      new S3ImageStore({
        endpoint: s3.env.S3_ENDPOINT!,
        bucket: s3.env.S3_BUCKET!,
        region: s3.env.S3_REGION!,
        accessKeyId: s3.env.S3_ACCESS_KEY_ID!,
        secretAccessKey: s3.env.S3_SECRET_ACCESS_KEY!,
        forcePathStyle: true,
      }),
  ],
];

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

describe("the S3 image store", () => {
  it("creates its bucket when it is missing, and keeps it when it is there", async () => {
    const settings = { endpoint: s3.env.S3_ENDPOINT!, bucket: "fresh-bucket", region: "us-east-1", accessKeyId: "S3RVER", secretAccessKey: "S3RVER", forcePathStyle: true };
    const store = new S3ImageStore(settings);
    await store.ensureBucket();
    await store.ensureBucket();
    const { id } = await store.save(Buffer.from("x"), "png");
    expect((await store.read(id))?.toString()).toBe("x");
  });

  it("several processes starting at once on an empty store all find their bucket: the losers of the race are told it exists, and go on (#21.9)", async () => {
    const settings = { endpoint: s3.env.S3_ENDPOINT!, bucket: "raced-bucket", region: "us-east-1", accessKeyId: "S3RVER", secretAccessKey: "S3RVER", forcePathStyle: true };
    const stores = Array.from({ length: 6 }, () => new S3ImageStore(settings));
    const outcomes = await Promise.allSettled(stores.map((store) => store.ensureBucket()));
    expect(outcomes.filter((outcome) => outcome.status === "rejected").map((outcome) => String((outcome as PromiseRejectedResult).reason))).toEqual([]);
    const { id } = await stores[5]!.save(Buffer.from("y"), "png");
    expect((await stores[0]!.read(id))?.toString()).toBe("y");
  });
});

describe.each(imageStores)("the image store on %s", (_name, open) => {
  it("saves, reads whole and by range, lists and removes; anything else reads as missing", async () => {
    const store = open();
    const { id } = await store.save(Buffer.from("0123456789"), "png");
    expect(id).toMatch(/^[0-9a-f]{32}\.png$/);
    expect((await store.read(id))?.toString()).toBe("0123456789");
    const whole = await store.openReadable(id);
    expect(whole && { size: whole.size, mimeType: whole.mimeType, body: await text(whole.stream) }).toEqual({ size: 10, mimeType: "image/png", body: "0123456789" });
    const part = await store.openReadable(id, { start: 2, end: 5 });
    expect(part && { size: part.size, body: await text(part.stream) }).toEqual({ size: 10, body: "2345" });
    expect((await store.list()).map((entry) => entry.id)).toContain(id);

    await store.remove([id, "../../etc/passwd"]);
    expect(await store.read(id)).toBeNull();
    expect(await store.openReadable(id)).toBeNull();
    expect(await store.openReadable("../app.db")).toBeNull();
    expect((await store.list()).map((entry) => entry.id)).not.toContain(id);
  });
});

describe("schema changes written once (sql/schema.ts)", () => {
  // A change as a newcomer would append it: a column with a default, and an index on it.
  const addNote: SchemaChange = {
    why: "a test column",
    statements: (schema) => [
      schema.alterTable("jobs").addColumn("test_note", "text", (column) => column.notNull().defaultTo("none")),
      schema.createIndex("jobs_by_test_note").on("jobs").column("test_note"),
    ],
  };

  async function postgresDatabase(name: string): Promise<Kysely<Tables>> {
    const admin = new pg.Client({ connectionString: postgres.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    return track(createPostgres(postgres.url.replace(/\/ads$/, `/${name}`)));
  }

  async function columnsOf(db: Kysely<Tables>, table: string, dialect: "sqlite" | "postgres"): Promise<string[]> {
    const query =
      dialect === "sqlite"
        ? sql<{ name: string }>`SELECT name FROM pragma_table_info(${table})`
        : sql<{ name: string }>`SELECT column_name AS name FROM information_schema.columns WHERE table_name = ${table}`;
    return (await query.execute(db)).rows.map((row) => row.name).sort();
  }

  it("brings SQLite and Postgres to the same columns, and a change appended there reaches both, once", async () => {
    const sqliteDir = makeTempDir("acg-schema-");
    const sqliteDb = track(openSqlite(sqliteDir));
    const postgresDb = await postgresDatabase("schema_test");
    await migratePostgres(postgresDb);
    for (const table of ["campaigns", "jobs", "images", "job_events", "uploads", "brand_kits", "api_tokens"]) {
      expect(await columnsOf(postgresDb, table, "postgres"), table).toEqual(await columnsOf(sqliteDb, table, "sqlite"));
    }

    const raw = new Database(`${sqliteDir}/app.db`);
    const before = raw.pragma("user_version", { simple: true }) as number;
    expect(before).toBe(sqliteMigrations().length);
    const withNote = [...sqliteMigrations(), ...schemaChangesAsSql("sqlite", [addNote])];
    migrate(raw, withNote);
    migrate(raw, withNote); // already there: nothing runs twice
    expect(raw.pragma("user_version", { simple: true })).toBe(before + 1);
    raw.close();

    await migratePostgres(postgresDb, [...postgresMigrations(), ...schemaChangesAsSql("postgres", [addNote])]);
    await migratePostgres(postgresDb, [...postgresMigrations(), ...schemaChangesAsSql("postgres", [addNote])]);
    expect(await columnsOf(postgresDb, "jobs", "postgres")).toEqual(await columnsOf(sqliteDb, "jobs", "sqlite"));
    expect(await columnsOf(postgresDb, "jobs", "postgres")).toContain("test_note");

    // An app that does not know the change refuses the newer database rather than misreading it.
    await expect(migratePostgres(postgresDb)).rejects.toThrow(/newer than this app/);
    removeDir(sqliteDir);
  });

  it("refuses a change whose values would be parameters, naming it", () => {
    const bad: SchemaChange = { why: "a bad default", statements: (schema) => [schema.alterTable("jobs").addColumn("x", "text", (column) => column.defaultTo(sql`${"a"}`))] };
    expect(() => schemaChangesAsSql("postgres", [bad])).toThrow(/a bad default/);
  });
});
