import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_BRIEF, type GenerateRequest, type ProviderId } from "@/lib/campaign";
import { DEFAULT_DESIGN } from "@/lib/design";
import { planNewJob, type NewJobDeps } from "@/lib/server/jobs/plan-new-job";
import { MAX_SLOTS_PER_JOB, planRerun, type RerunDeps } from "@/lib/server/jobs/plan-rerun";
import type { ImageProvider, RoutePlan } from "@/lib/server/providers/provider";
import { FileImageStore } from "@/lib/server/storage/files/file-image-store";
import { openSqlite } from "@/lib/server/storage/sqlite/open-sqlite";
import { SqlJobStore } from "@/lib/server/storage/sql/sql-job-store";
import { makeTempDir, removeDir } from "../support/app-server";
import { AppError } from "@/lib/server/use-cases/app-error";

/** The job use cases as plain functions: a real SQLite repository in a temp folder, no server. */

let dir: string;
let repo: SqlJobStore;
let store: FileImageStore;

beforeAll(() => {
  dir = makeTempDir("acg-use-cases-");
  repo = new SqlJobStore(openSqlite(dir));
  store = new FileImageStore(dir);
});

afterAll(() => removeDir(dir));

function provider(id: ProviderId, options: { available?: boolean; models?: string[]; plan?: RoutePlan } = {}): ImageProvider {
  const models = options.models ?? ["model-a", "model-b"];
  const status = () => ({
    id,
    label: `Provider ${id}`,
    model: models[0]!,
    models: models.map((model) => ({ id: model, label: model, available: true, routes: ["r"] })),
    available: options.available ?? true,
    ...(options.available === false ? { reason: `Set ${id.toUpperCase()}_KEY` } : {}),
  });
  return {
    id,
    label: `Provider ${id}`,
    status,
    refresh: async () => status(),
    planRoutes: async (model) => options.plan ?? (models.includes(model) ? { ok: true, routes: [{ id: "r", label: "r" }] } : { ok: false, code: "invalid", message: `no ${model}` }),
    generate: async () => {
      throw new Error("not called by planning");
    },
  };
}

const request = (extra: Partial<GenerateRequest> = {}): GenerateRequest => ({ ...DEFAULT_BRIEF, format: "instagram-square", count: 3, ...extra });

let ids = 0;
let files = 0;
const newJobDeps = (providers: Partial<Record<ProviderId, ImageProvider>>): NewJobDeps => ({
  store,
  isUpload: (id, kind) => repo.isUpload(id, kind),
  getProvider: (id) => providers[id] ?? provider(id),
  defaultProvider: "builtin",
  workspaceId: "local",
  now: () => 1_000,
  newId: () => `job-${String(++ids).padStart(12, "0")}`,
});

describe("planNewJob", () => {
  it("plans every slot with varied prompts and seeds derived from the run's seed, before any provider call", async () => {
    const planned = await planNewJob(newJobDeps({}), request({ seed: 42, count: 4 }));
    expect(planned.job).toMatchObject({ provider: "builtin", model: "model-a", seed: 42, width: 1024, height: 1024, design: DEFAULT_DESIGN });
    expect(planned.job.images).toHaveLength(4);
    expect(new Set(planned.job.images.map((image) => image.prompt)).size).toBe(4);
    expect(new Set(planned.job.images.map((image) => image.seed)).size).toBe(4);
    expect(planned.plan.indices).toEqual([0, 1, 2, 3]);
    const again = await planNewJob(newJobDeps({}), request({ seed: 42, count: 4 }));
    expect(again.job.images).toEqual(planned.job.images);
  });

  it("refuses what cannot run with the fix: an unconfigured provider, a model nothing serves, a logo no longer stored", async () => {
    const off = planNewJob(newJobDeps({ openai: provider("openai", { available: false }) }), request({ provider: "openai" }));
    await expect(off).rejects.toBeInstanceOf(AppError);
    await expect(off).rejects.toMatchObject({ code: "unavailable", message: expect.stringMatching(/Set OPENAI_KEY/) });
    await expect(planNewJob(newJobDeps({}), request({ model: "model-z" }))).rejects.toMatchObject({ code: "invalid", field: "model" });
    const unreachable = planNewJob(newJobDeps({ fal: provider("fal", { plan: { ok: false, code: "upstream", message: "Hub down" } }) }), request({ provider: "fal" }));
    await expect(unreachable).rejects.toMatchObject({ code: "upstream", message: "Hub down" });
    const logo = planNewJob(newJobDeps({}), request({ design: { ...DEFAULT_DESIGN, logoId: `${"a".repeat(32)}.png` } }));
    await expect(logo).rejects.toMatchObject({ code: "invalid", field: "design.logoId" });
  });
});

describe("planRerun", () => {
  const rerunDeps = (running = false, providers: Partial<Record<ProviderId, ImageProvider>> = {}): RerunDeps => ({
    repo,
    store,
    isRunning: async () => running,
    getProvider: (id) => providers[id] ?? provider(id),
  });

  async function storedJob(count: number, done: number[]): Promise<string> {
    const planned = await planNewJob(newJobDeps({}), request({ count, seed: 7 }));
    await repo.createJob(planned.job);
    // Stored file ids are unique per picture.
    const fileId = (kind: string, extension: string) => `${kind}${String(++files).padStart(31, "0")}.${extension}`;
    for (const index of done) {
      const image = planned.job.images[index]!;
      await repo.recordEvent(planned.job.id, {
        event: "image",
        data: { index, compositeId: fileId("b", "jpg"), thumbId: fileId("c", "webp"), rawId: fileId("d", "png"), format: "instagram-square", layout: "bottom-band", width: 1080, height: 1080, seed: image.seed, prompt: image.prompt, provider: "builtin", elapsedMs: 1, mimeType: "image/jpeg", bytes: 1, placeholder: "", readyAt: 1 },
      }, 2_000);
    }
    return planned.job.id;
  }

  it("resumes only the images that are not done, with their own prompts and seeds", async () => {
    const jobId = await storedJob(4, [0, 2]);
    const planned = await planRerun(rerunDeps(), jobId, { action: "resume" });
    const job = (await repo.getJob(jobId))!;
    expect(planned.targets).toEqual([1, 3].map((index) => ({ index, prompt: job.images[index]!.prompt, seed: job.images[index]!.seed })));
    expect(planned.plan.indices).toEqual([1, 3]);
  });

  it("refuses with the reason: unknown job, nothing to resume, a job still running, an index it does not have, a job at its size limit", async () => {
    await expect(planRerun(rerunDeps(), "no-such-job-00000", { action: "resume" })).rejects.toMatchObject({ code: "not-found" });
    const finished = await storedJob(2, [0, 1]);
    await expect(planRerun(rerunDeps(), finished, { action: "resume" })).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(/nothing to resume/) });
    await expect(planRerun(rerunDeps(true), finished, { action: "retry", index: 0 })).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(/still running/) });
    await expect(planRerun(rerunDeps(), finished, { action: "retry", index: 5 })).rejects.toMatchObject({ code: "invalid", message: "This job has no image 5; it has 2." });
    const full = await storedJob(MAX_SLOTS_PER_JOB, []);
    await expect(planRerun(rerunDeps(), full, { action: "more", index: 0 })).rejects.toMatchObject({ code: "conflict" });
  });

  it("regenerates with a new seed, adds a slot for More like this, and goes on with another provider when asked", async () => {
    const jobId = await storedJob(2, [0, 1]);
    const job = (await repo.getJob(jobId))!;
    const regenerate = await planRerun(rerunDeps(), jobId, { action: "regenerate", index: 1 });
    expect(regenerate.targets[0]).toMatchObject({ index: 1, prompt: job.images[1]!.prompt });
    const more = await planRerun(rerunDeps(), jobId, { action: "more", index: 0 });
    expect(more.targets[0]).toMatchObject({ index: 2, prompt: job.images[0]!.prompt });
    expect(more.plan.prompts).toHaveLength(3);
    const switched = await planRerun(rerunDeps(false, { openai: provider("openai", { models: ["gpt-image-2"] }) }), jobId, { action: "retry", index: 0, provider: "openai" });
    expect(switched.job).toMatchObject({ provider: "openai", model: "gpt-image-2" });
    expect(switched.stored.provider).toBe("builtin");
  });
});

describe("the event log", () => {
  it("keeps ids, makes URLs only at the edge, and still reads logs written with URLs", async () => {
    const { fromLoggedEvent } = await import("@/lib/server/storage/logged-events");
    const { toWireEvent } = await import("@/lib/server/http/wire-events");
    const base = { index: 0, format: "instagram-square", layout: "bottom-band", width: 1080, height: 1080, seed: 1, prompt: "p", provider: "builtin", elapsedMs: 1, mimeType: "image/jpeg", bytes: 1, placeholder: "", readyAt: 1 } as const;
    const ids = { compositeId: `${"a".repeat(32)}.jpg`, thumbId: `${"b".repeat(32)}.webp`, rawId: `${"c".repeat(32)}.png` };
    const urls = { url: `/api/images/${ids.compositeId}`, thumbUrl: `/api/images/${ids.thumbId}`, rawUrl: `/api/images/${ids.rawId}` };
    const current = fromLoggedEvent("image", { ...base, ...ids });
    const legacy = fromLoggedEvent("image", { ...base, ...urls });
    expect(legacy).toEqual(current);
    expect(toWireEvent(current)).toEqual({ event: "image", data: { ...base, ...urls } });
    expect(fromLoggedEvent("done", { jobId: "j", status: "completed" })).toEqual({ event: "done", data: { jobId: "j", status: "completed" } });
  });
});

describe("AppError", () => {
  it("is recognised across copies of its module (Next bundles each route on its own)", async () => {
    const { AppError: Original } = await import("@/lib/server/use-cases/app-error");
    // A structurally identical error made by another copy of the module carries the same brand.
    const fromAnotherCopy = Object.assign(new Error("x"), { [Symbol.for("ad-creative-generator.app-error")]: true, code: "invalid" });
    expect(fromAnotherCopy instanceof Original).toBe(true);
    expect(new Error("plain") instanceof Original).toBe(false);
    expect(new Original("conflict", "busy") instanceof Error).toBe(true);
  });
});
