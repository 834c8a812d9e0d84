import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_BRIEF, type GenerateRequest } from "@/lib/campaign";
import type { Caller } from "@/lib/server/auth/caller";
import { OfflineCopyWriter } from "@/lib/server/copywriting/offline-copy-writer";
import { inThreadImageWork } from "@/lib/server/image-work/in-thread-image-work";
import { JobManager } from "@/lib/server/jobs/job-manager";
import type { JobEvent } from "@/lib/server/storage/logged-events";
import type { ViewerSink } from "@/lib/server/jobs/viewer-sink";
import { BuiltinProvider } from "@/lib/server/providers/builtin/builtin-provider";
import { inProcessQueue } from "@/lib/server/queue/work-queue";
import { FileImageStore } from "@/lib/server/storage/files/file-image-store";
import { SqlBrandKitStore } from "@/lib/server/storage/sql/sql-brand-kit-store";
import { SqlJobStore } from "@/lib/server/storage/sql/sql-job-store";
import { openSqlite } from "@/lib/server/storage/sqlite/open-sqlite";
import { AppError } from "@/lib/server/use-cases/app-error";
import { cancelJob } from "@/lib/server/use-cases/cancel-job";
import { deleteJob } from "@/lib/server/use-cases/delete-job";
import { downloadSet } from "@/lib/server/use-cases/download-set";
import { editCreative } from "@/lib/server/use-cases/edit-creative";
import { editSetDesign } from "@/lib/server/use-cases/edit-set-design";
import { findJob } from "@/lib/server/use-cases/find-job";
import { listJobs } from "@/lib/server/use-cases/list-jobs";
import { rerunJob } from "@/lib/server/use-cases/rerun-job";
import { startJob } from "@/lib/server/use-cases/start-job";
import type { UseCaseContext } from "@/lib/server/use-cases/use-case-context";
import { makeTempDir, removeDir } from "../support/app-server";
import { unzip } from "../support/unzip";

/**
 * The job use cases as the routes, pages and start-up call them, with no server: a real SQLite
 * store and image folder in a temp dir, the job manager, and the built-in renderer.
 */

let dir: string;
let context: UseCaseContext;
const alice: Caller = { workspaceId: "ws-alice", userId: "alice", role: "owner" };
const mallory: Caller = { workspaceId: "ws-mallory", userId: "mallory", role: "owner" };

beforeAll(() => {
  dir = makeTempDir("acg-use-cases-run-");
  const db = openSqlite(dir);
  const repo = new SqlJobStore(db);
  const store = new FileImageStore(dir);
  const work = inThreadImageWork();
  const jobs = new JobManager(repo, store, work, { concurrency: 2, globalConcurrency: 4, attemptTimeoutMs: 60_000, orphanGraceMs: 60_000 });
  const builtin = new BuiltinProvider();
  const offline = new OfflineCopyWriter();
  context = {
    repo,
    store,
    jobs,
    work,
    exports: inProcessQueue(1),
    kits: new SqlBrandKitStore(db),
    uploadsIn: (workspaceId) => ({ store, isUpload: (id, kind) => repo.isUpload(id, kind, workspaceId) }),
    providers: { get: () => builtin, configured: "builtin" },
    copy: { writers: { huggingface: offline, openai: offline, offline }, timeoutMs: 5_000 },
    now: Date.now,
  };
});

afterAll(() => removeDir(dir));

/** A viewer that keeps what it is sent and resolves when the run is over. */
function watcher(): { sink: ViewerSink; events: JobEvent[]; closed: Promise<void> } {
  const events: JobEvent[] = [];
  let close!: () => void;
  const closed = new Promise<void>((resolve) => (close = resolve));
  return { sink: { send: (_id, event) => events.push(event), preview: () => {}, close }, events, closed };
}

const campaign = (extra: Partial<GenerateRequest> = {}): GenerateRequest => ({ ...DEFAULT_BRIEF, format: "instagram-square", count: 2, seed: 11, ...extra });

async function finishedSet(): Promise<string> {
  const viewer = watcher();
  const { jobId } = await startJob(context, alice, campaign(), { openViewer: () => viewer.sink });
  await viewer.closed;
  return jobId;
}

async function zipEntries(stream: NodeJS.ReadableStream): Promise<string[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Object.keys(await unzip(Buffer.concat(chunks)));
}

describe("the job use cases, called without a server", () => {
  it("starts a campaign, streams every creative to the viewer, and keeps the set for its workspace only", async () => {
    const viewer = watcher();
    const { jobId } = await startJob(context, alice, campaign(), { openViewer: () => viewer.sink });
    await viewer.closed;
    expect(viewer.events.filter((event) => event.event === "image")).toHaveLength(2);
    expect(viewer.events.at(-1)).toMatchObject({ event: "done", data: { status: "completed", succeeded: 2 } });
    const job = await findJob(context, alice, jobId);
    expect(job.images.map((image) => image.status)).toEqual(["done", "done"]);
    expect((await listJobs(context, alice, { limit: 10 })).jobs.map((summary) => summary.id)).toContain(jobId);
    expect((await listJobs(context, mallory, { limit: 10 })).jobs).toEqual([]);
  });

  it("answers another workspace's job as one that does not exist, in every use case", async () => {
    const jobId = await finishedSet();
    const refusals = [
      findJob(context, mallory, jobId),
      rerunJob(context, mallory, jobId, { action: "more", index: 0 }),
      editCreative(context, mallory, jobId, 0, { layout: "split" }),
      editSetDesign(context, mallory, jobId, { design: { headline: "Mine now" } }),
      downloadSet(context, mallory, jobId, "jpg"),
      cancelJob(context, mallory, jobId),
      deleteJob(context, mallory, jobId),
    ];
    for (const refusal of refusals) await expect(refusal).rejects.toMatchObject({ code: "not-found", message: "No job with that id." });
    expect((await findJob(context, alice, jobId)).images).toHaveLength(2);
  });

  it("adds a creative with More like this, edits one creative's layout, and downloads the set", async () => {
    const jobId = await finishedSet();
    const viewer = watcher();
    const more = await rerunJob(context, alice, jobId, { action: "more", index: 0 }, { openViewer: () => viewer.sink });
    await viewer.closed;
    expect(more.images).toBe(1);
    expect((await findJob(context, alice, jobId)).images).toHaveLength(3);

    const [edited] = await editCreative(context, alice, jobId, 1, { layout: "split" });
    expect(edited).toMatchObject({ index: 1, layout: "split" });

    const archive = await downloadSet(context, alice, jobId, "jpg");
    const names = await zipEntries(archive.zip!);
    expect(names.filter((name) => name.endsWith(".jpg") && !name.startsWith("backgrounds/"))).toHaveLength(3);
    expect(names).toEqual(expect.arrayContaining(["creatives.json", "creatives.csv"]));
  });

  it("refuses with a code the edge turns into an answer: copy too long for the platform, nothing to resume, a deleted job", async () => {
    const jobId = await finishedSet();
    const tooLong = editSetDesign(context, alice, jobId, { design: { headline: "A headline far too long for any square ad on any platform at all, really" } });
    await expect(tooLong).rejects.toBeInstanceOf(AppError);
    await expect(tooLong).rejects.toMatchObject({ code: "invalid", issues: [expect.objectContaining({ path: "design.headline" })] });
    await expect(rerunJob(context, alice, jobId, { action: "resume" })).rejects.toMatchObject({ code: "conflict" });
    await deleteJob(context, alice, jobId);
    await expect(findJob(context, alice, jobId)).rejects.toMatchObject({ code: "not-found" });
  });
});
