import { appSuiteHooks } from "../support/app-suite";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { unzip } from "../support/unzip";
import { makeTempDir, removeDir, startApp, type AppServer } from "../support/app-server";
import { startFakeHuggingFace } from "../support/fakes/hf-endpoint";
import type { FakeProvider } from "../support/fakes/scripted-fake-server";
import { BRIEF, generate } from "../support/generation-client";
import { isSseComment, postSse, readMessagesUntil, readSse, sseJson, type SseMessage } from "../support/sse-client";

let hf: FakeProvider;
let app: AppServer;
let dataDir: string;

function envFor(dir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    HF_TOKEN: "hf_durableTestToken",
    HF_ENDPOINT_URL: `${hf.url}/models/stabilityai/stable-diffusion-xl-base-1.0`,
    DATA_DIR: dir,
    GENERATION_TIMEOUT_MS: "30000",
    JOB_ORPHAN_GRACE_MS: "3000",
    ...extra,
  };
}

beforeAll(async () => {
  hf = await startFakeHuggingFace();
  dataDir = makeTempDir("acg-jobs-");
  app = await startApp(envFor(dataDir));
});

// Nothing may try to leave the machine; the app and its stand-ins stop after the suite.
appSuiteHooks(() => ({ app, standIns: [hf], dataDir }));

beforeEach(() => hf.reset());

function startJob(appUrl: string, body: Record<string, unknown>) {
  const controller = new AbortController();
  const response = postSse(`${appUrl}/api/generate-images`, { ...BRIEF, provider: "huggingface", ...body }, { signal: controller.signal });
  return { controller, response };
}

async function allEvents(appUrl: string, jobId: string, headers: Record<string, string> = {}, query = ""): Promise<SseMessage[]> {
  const response = await fetch(`${appUrl}/api/jobs/${jobId}/events${query}`, { headers: { accept: "text/event-stream", ...headers } });
  expect(response.status).toBe(200);
  const messages: SseMessage[] = [];
  for await (const item of readSse(response)) if (!isSseComment(item)) messages.push(item);
  return messages;
}

const jobIdOf = (messages: SseMessage[]) => sseJson<{ jobId: string }>(messages.find((m) => m.event === "start")!).jobId;
const imagesIn = (messages: SseMessage[]) =>
  messages.filter((m) => m.event === "image").map((m) => sseJson<{ index: number; url: string; rawUrl: string; thumbUrl: string; seed: number; prompt: string }>(m));

async function getJob(appUrl: string, jobId: string) {
  const response = await fetch(`${appUrl}/api/jobs/${jobId}`);
  expect(response.status).toBe(200);
  return (await response.json()) as {
    status: string;
    images: { index: number; status: string; url: string | null; seed: number; prompt: string }[];
  };
}

describe("reconnecting with Last-Event-ID", () => {
  for (const via of ["header", "query"] as const) {
    it(`replays exactly the missed events, then follows live (${via})`, async () => {
      hf.script({ kind: "ok", latencyMs: 50 }, { kind: "ok", latencyMs: 1200 }, { kind: "ok", latencyMs: 1500 }, { kind: "ok", latencyMs: 1800 });
      const { controller, response } = startJob(app.url, { count: 4 });
      const first = await readMessagesUntil(await response, controller, (messages) => messages.some((m) => m.event === "image"));
      const jobId = jobIdOf(first);
      const lastId = first.filter((m) => m.id).at(-1)!.id!;
      const rest = await allEvents(app.url, jobId, via === "header" ? { "last-event-id": lastId } : {}, via === "query" ? `?lastEventId=${lastId}` : "");
      const log = await allEvents(app.url, jobId);

      // Previews are transient (no id, not logged); everything else is the log exactly.
      const union = [...first, ...rest].filter((m) => m.event !== "preview").map((m) => `${m.id}|${m.event}|${m.data}`);
      expect(union).toEqual(log.map((m) => `${m.id}|${m.event}|${m.data}`));
      expect(new Set(union.map((line) => line.split("|")[0])).size).toBe(union.length);
      expect(rest.find((m) => m.id)!.id).toBe(String(Number(lastId) + 1));
      expect(log.at(-1)!.event).toBe("done");
      expect(imagesIn(log)).toHaveLength(4);
    });
  }

  it("refuses a malformed Last-Event-ID or job id, and 404s an unknown job", async () => {
    expect((await fetch(`${app.url}/api/jobs/AAAAAAAAAAAAAAAA/events`)).status).toBe(404);
    expect((await fetch(`${app.url}/api/jobs/not-a-job/events`)).status).toBe(400);
    expect((await fetch(`${app.url}/api/jobs/..%2F..%2Fetc/events`)).status).toBe(400);
    const run = await generate(app.url, { count: 1, provider: "huggingface" });
    const jobId = run.of("start")[0]!.jobId;
    expect((await fetch(`${app.url}/api/jobs/${jobId}/events`, { headers: { "last-event-id": "abc" } })).status).toBe(400);
  });
});

describe("stopping work nobody wants", () => {
  it("keeps a job through a short disconnect, then cancels it after the grace period and closes upstream calls", async () => {
    hf.setDefault({ kind: "hang" });
    const { controller, response } = startJob(app.url, { count: 3 });
    const first = await readMessagesUntil(await response, controller, (messages) => messages.filter((m) => m.event === "progress").length >= 6);
    const jobId = jobIdOf(first);
    await hf.waitForRequests(3, 10_000);
    // Right after the disconnect the job is still alive (a reload would pick it up)...
    expect((await getJob(app.url, jobId)).status).toBe("running");
    expect(hf.openRequests()).toBe(3);
    // ...and after the grace period it is cancelled, with every upstream request closed.
    await hf.waitForIdle(15_000);
    expect(hf.requests.every((r) => r.outcome === "aborted-by-client")).toBe(true);
    await expect.poll(async () => (await getJob(app.url, jobId)).status, { timeout: 5000 }).toBe("cancelled");
    const log = await allEvents(app.url, jobId);
    expect(sseJson<{ status: string }>(log.at(-1)!)).toMatchObject({ status: "cancelled" });
  });

  it("cancels at once on POST /api/jobs/{id}/cancel, and the viewer sees the end", async () => {
    hf.setDefault({ kind: "hang" });
    const response = await postSse(`${app.url}/api/generate-images`, { ...BRIEF, provider: "huggingface", count: 2 });
    const messages: SseMessage[] = [];
    const reading = (async () => {
      for await (const item of readSse(response)) if (!isSseComment(item)) messages.push(item);
    })();
    // Cancel once both provider calls are really in flight, whatever order the events came in.
    await hf.waitForRequests(2, 10_000);
    await expect.poll(() => messages.some((m) => m.event === "start")).toBe(true);
    const cancel = await fetch(`${app.url}/api/jobs/${jobIdOf(messages)}/cancel`, { method: "POST" });
    expect(await cancel.json()).toEqual({ cancelled: true });
    await reading;
    expect(messages.at(-1)!.event).toBe("done");
    expect(sseJson<{ status: string; cancelled: number }>(messages.at(-1)!)).toMatchObject({ status: "cancelled", cancelled: 2 });
    await hf.waitForIdle(5000);
    expect(hf.requests.map((r) => r.outcome)).toEqual(["aborted-by-client", "aborted-by-client"]);
  });
});

describe("history, downloads and reruns", () => {
  it("downloads every image and a creatives.json as a zip", async () => {
    const run = await generate(app.url, { count: 3, provider: "huggingface", productName: "Zip Test Tea" });
    const jobId = run.of("start")[0]!.jobId;
    const response = await fetch(`${app.url}/api/jobs/${jobId}/download`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(response.headers.get("content-disposition")).toContain("zip-test-tea-creatives.zip");
    const entries = await unzip(Buffer.from(await response.arrayBuffer()));
    expect(Object.keys(entries).sort()).toEqual([
      "backgrounds/zip-test-tea-01.png",
      "backgrounds/zip-test-tea-02.png",
      "backgrounds/zip-test-tea-03.png",
      "creatives.csv",
      "creatives.json",
      "zip-test-tea-01.jpg",
      "zip-test-tea-02.jpg",
      "zip-test-tea-03.jpg",
    ]);
    const manifest = JSON.parse(entries["creatives.json"]!.toString("utf8"));
    expect(manifest).toMatchObject({ jobId, provider: "huggingface", model: "stabilityai/stable-diffusion-xl-base-1.0", brief: { productName: "Zip Test Tea" } });
    for (const image of run.of("image")) {
      const entry = manifest.images.find((i: { index: number }) => i.index === image.index);
      expect(entry).toMatchObject({ prompt: image.prompt, seed: image.seed });
      const ad = Buffer.from(await (await fetch(app.url + image.url)).arrayBuffer());
      expect(entries[entry.file]!.equals(ad)).toBe(true);
      const original = Buffer.from(await (await fetch(app.url + image.rawUrl)).arrayBuffer());
      expect(entries[entry.background]!.equals(original)).toBe(true);
    }
  });

  it("names single downloads after the campaign", async () => {
    const run = await generate(app.url, { count: 1, provider: "huggingface", productName: "Solo Shot" });
    const response = await fetch(`${app.url}${run.of("image")[0]!.url}?download=1`);
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="solo-shot-01.jpg"');
    const background = await fetch(`${app.url}${run.of("image")[0]!.rawUrl}?download=1`);
    expect(background.headers.get("content-disposition")).toBe('attachment; filename="solo-shot-01-background.png"');
  });

  it("lists jobs newest first with thumbnails, pages with a cursor, and deletes a job with its files", async () => {
    const names = ["History A", "History B", "History C"];
    for (const productName of names) await generate(app.url, { count: 1, provider: "huggingface", productName });
    const page1 = await (await fetch(`${app.url}/api/jobs?limit=2`)).json();
    expect(page1.jobs.map((j: { productName: string }) => j.productName)).toEqual(["History C", "History B"]);
    expect(page1.jobs[0].thumbUrls).toHaveLength(1);
    expect((await fetch(app.url + page1.jobs[0].thumbUrls[0])).headers.get("content-type")).toBe("image/webp");
    const page2 = await (await fetch(`${app.url}/api/jobs?limit=2&cursor=${page1.nextCursor}`)).json();
    expect(page2.jobs[0].productName).toBe("History A");
    expect((await fetch(`${app.url}/api/jobs?cursor=garbage`)).status).toBe(400);

    const victim = page1.jobs[0];
    const job = await getJob(app.url, victim.id);
    const deleted = await fetch(`${app.url}/api/jobs/${victim.id}`, { method: "DELETE" });
    expect(deleted.status).toBe(204);
    expect((await fetch(`${app.url}/api/jobs/${victim.id}`)).status).toBe(404);
    expect((await fetch(app.url + job.images[0]!.url!)).status).toBe(404);
    expect((await fetch(app.url + victim.thumbUrls[0])).status).toBe(404);
    expect((await fetch(`${app.url}/api/jobs/${victim.id}`, { method: "DELETE" })).status).toBe(404);
  });

  it("deleting a running job cancels it first", async () => {
    hf.setDefault({ kind: "hang" });
    const { controller, response } = startJob(app.url, { count: 2 });
    const first = await readMessagesUntil(await response, controller, (m) => m.some((x) => x.event === "start"));
    await hf.waitForRequests(2, 10_000);
    const deleted = await fetch(`${app.url}/api/jobs/${jobIdOf(first)}`, { method: "DELETE" });
    expect(deleted.status).toBe(204);
    await hf.waitForIdle(5000);
    expect((await fetch(`${app.url}/api/jobs/${jobIdOf(first)}`)).status).toBe(404);
  });

  it("regenerates one image with a new seed, and adds more like this with the same prompt", async () => {
    const run = await generate(app.url, { count: 2, provider: "huggingface" });
    const jobId = run.of("start")[0]!.jobId;
    const before = await getJob(app.url, jobId);

    const regen = await postSse(`${app.url}/api/jobs/${jobId}/images`, { action: "regenerate", index: 0 });
    const regenEvents: SseMessage[] = [];
    for await (const item of readSse(regen)) if (!isSseComment(item)) regenEvents.push(item);
    const regenerated = imagesIn(regenEvents);
    expect(regenerated).toHaveLength(1);
    expect(regenerated[0]).toMatchObject({ index: 0, prompt: before.images[0]!.prompt });
    expect(regenerated[0]!.seed).not.toBe(before.images[0]!.seed);
    expect((await fetch(app.url + before.images[0]!.url!)).status).toBe(404);

    const more = await postSse(`${app.url}/api/jobs/${jobId}/images`, { action: "more", index: 1 });
    const moreEvents: SseMessage[] = [];
    for await (const item of readSse(more)) if (!isSseComment(item)) moreEvents.push(item);
    expect(imagesIn(moreEvents)[0]).toMatchObject({ index: 2, prompt: before.images[1]!.prompt });
    const after = await getJob(app.url, jobId);
    expect(after.images.map((i) => i.status)).toEqual(["done", "done", "done"]);
    // Event ids keep increasing across runs of one job.
    expect(Number(moreEvents[0]!.id)).toBeGreaterThan(Number(regenEvents.at(-1)!.id));

    expect((await postSse(`${app.url}/api/jobs/${jobId}/images`, { action: "explode" })).status).toBe(400);
    expect((await postSse(`${app.url}/api/jobs/${jobId}/images`, { action: "retry", index: 9 })).status).toBe(400);
    expect((await postSse(`${app.url}/api/jobs/${jobId}/images`, { action: "resume" })).status).toBe(409);
  });
});

describe("surviving a crash", () => {
  it("keeps every announced image after SIGKILL, marks the job interrupted, and Resume completes the rest (AUTO_RESUME=false)", async () => {
    const crashDir = makeTempDir("acg-crash-");
    let crashApp = await startApp(envFor(crashDir));
    try {
      hf.script({ kind: "ok", latencyMs: 30 }, { kind: "ok", latencyMs: 30 }, { kind: "hang" }, { kind: "hang" });
      const { controller, response } = startJob(crashApp.url, { count: 4 });
      const seen = await readMessagesUntil(await response, controller, (m) => imagesIn(m).length === 2);
      const jobId = jobIdOf(seen);
      const announced = imagesIn(seen);
      await crashApp.kill("SIGKILL");

      hf.reset();
      crashApp = await startApp(envFor(crashDir, { AUTO_RESUME: "false" }));
      const job = await getJob(crashApp.url, jobId);
      expect(job.status).toBe("interrupted");
      for (const image of announced) {
        expect(job.images[image.index]).toMatchObject({ status: "done", url: image.url });
        expect((await fetch(crashApp.url + image.url)).status).toBe(200);
      }
      expect(job.images.filter((i) => i.status === "interrupted")).toHaveLength(2);
      const history = await (await fetch(`${crashApp.url}/api/jobs`)).json();
      expect(history.jobs[0]).toMatchObject({ id: jobId, status: "interrupted", succeeded: 2 });

      const resumed = await postSse(`${crashApp.url}/api/jobs/${jobId}/images`, { action: "resume" });
      const events: SseMessage[] = [];
      for await (const item of readSse(resumed)) if (!isSseComment(item)) events.push(item);
      expect(imagesIn(events).map((i) => i.index).sort()).toEqual(job.images.filter((i) => i.status !== "done").map((i) => i.index));
      expect(hf.requests).toHaveLength(2);
      const finished = await getJob(crashApp.url, jobId);
      expect(finished.status).toBe("completed");
      expect(finished.images.every((i) => i.status === "done")).toBe(true);
    } finally {
      await crashApp.stop();
      removeDir(crashDir);
    }
  });

  it("resumes by itself after SIGKILL: the next start makes only the missing images", async () => {
    const crashDir = makeTempDir("acg-crash-auto-");
    let crashApp = await startApp(envFor(crashDir));
    try {
      hf.script({ kind: "ok", latencyMs: 30 }, { kind: "ok", latencyMs: 30 }, { kind: "hang" }, { kind: "hang" });
      const { controller, response } = startJob(crashApp.url, { count: 4 });
      const seen = await readMessagesUntil(await response, controller, (m) => imagesIn(m).length === 2);
      const jobId = jobIdOf(seen);
      await crashApp.kill("SIGKILL");

      hf.reset();
      crashApp = await startApp(envFor(crashDir));
      await expect.poll(async () => (await getJob(crashApp.url, jobId)).status, { timeout: 20_000 }).toBe("completed");
      const finished = await getJob(crashApp.url, jobId);
      expect(finished.images.every((i) => i.status === "done")).toBe(true);
      expect(hf.requests).toHaveLength(2);
    } finally {
      await crashApp.stop();
      removeDir(crashDir);
    }
  });

  it("refuses to start on an unusable DATA_DIR with a message that says what to fix", async () => {
    const parent = makeTempDir("acg-bad-dir-");
    const notADirectory = path.join(parent, "file");
    writeFileSync(notADirectory, "x");
    const error = await startApp(envFor(path.join(notADirectory, "data"))).then(
      async (server) => {
        await server.stop();
        return undefined;
      },
      (reason: unknown) => reason as Error,
    );
    removeDir(parent);
    expect(error?.message).toMatch(/DATA_DIR .* is not writable/);
  });
});
