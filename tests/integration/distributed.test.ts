import { spawnSync } from "node:child_process";
import sharp from "sharp";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openPostgres } from "@/lib/server/storage/postgres/open-postgres";
import { S3ImageStore } from "@/lib/server/storage/s3/s3-image-store";
import { SqlJobStore } from "@/lib/server/storage/sql/sql-job-store";
import { cleanEnv, REPO_ROOT, startApp } from "../support/app-server";
import { startCluster, type Cluster } from "../support/distributed-cluster";
import { startFakeHuggingFace } from "../support/fakes/hf-endpoint";
import type { FakeProvider } from "../support/fakes/scripted-fake-server";
import { BRIEF } from "../support/generation-client";
import { isSseComment, postSse, readMessagesUntil, readSse, sseJson, type SseMessage } from "../support/sse-client";
import { unzip } from "../support/unzip";

/**
 * The distributed mode, all of it real on 127.0.0.1: Postgres (as the postgres user), Redis,
 * an S3-compatible server, two web instances (`npm start`) and two workers (`npm run worker`).
 * The image provider is the Hugging Face stand-in, so each test decides how slow it is.
 */

let hf: FakeProvider;
let cluster: Cluster;

beforeAll(async () => {
  hf = await startFakeHuggingFace();
  cluster = await startCluster({
    env: {
      HF_TOKEN: "hf_distributedTestToken",
      HF_ENDPOINT_URL: `${hf.url}/models/stabilityai/stable-diffusion-xl-base-1.0`,
      GENERATION_TIMEOUT_MS: "30000",
      JOB_ORPHAN_GRACE_MS: "3000",
      WORKER_CONCURRENCY: "2",
      IMAGE_WORKERS: "1",
    },
  });
}, 180_000);

afterAll(async () => {
  try {
    if (cluster) {
      // Every object in the bucket has its row and every row its object: nothing left behind, nothing lost.
      const db = await openPostgres(cluster.postgres.url);
      try {
        const referenced = await new SqlJobStore(db).referencedFiles();
        const s3 = cluster.s3.env;
        const stored = new Set((await new S3ImageStore({ endpoint: s3.S3_ENDPOINT, bucket: s3.S3_BUCKET!, region: s3.S3_REGION!, accessKeyId: s3.S3_ACCESS_KEY_ID!, secretAccessKey: s3.S3_SECRET_ACCESS_KEY!, forcePathStyle: true }).list()).map((entry) => entry.id));
        expect({ unowned: [...stored].filter((id) => !referenced.has(id)), missing: [...referenced].filter((id) => !stored.has(id)) }).toEqual({ unowned: [], missing: [] });
      } finally {
        await db.destroy();
      }
    }
  } finally {
    await cluster?.stop();
    await hf?.close();
  }
});

beforeEach(() => hf.reset());
afterEach((context) => {
  // What each process said, when a test failed: the first place to look.
  if (context.task.result?.state === "fail") {
    const processes = [...cluster.webs.map((web, n) => ({ name: `web ${n}`, logs: web.logs() })), ...cluster.workers.map((worker, n) => ({ name: `worker ${n}`, logs: worker.logs() }))];
    for (const { name, logs } of processes) console.log(`--- ${name} ---\n${logs.slice(-4000)}`);
  }
  expect(cluster.outboundAttempts()).toEqual([]);
});

const web = (n: number) => cluster.webs[n]!.url;

function startJob(appUrl: string, body: Record<string, unknown>) {
  const controller = new AbortController();
  const response = postSse(`${appUrl}/api/generate-images`, { ...BRIEF, provider: "huggingface", ...body }, { signal: controller.signal });
  return { controller, response };
}

async function allEvents(appUrl: string, jobId: string, headers: Record<string, string> = {}): Promise<SseMessage[]> {
  const response = await fetch(`${appUrl}/api/jobs/${jobId}/events`, { headers: { accept: "text/event-stream", ...headers } });
  expect(response.status).toBe(200);
  const messages: SseMessage[] = [];
  for await (const item of readSse(response)) if (!isSseComment(item)) messages.push(item);
  return messages;
}

const jobIdOf = (messages: SseMessage[]) => sseJson<{ jobId: string }>(messages.find((m) => m.event === "start")!).jobId;
const logged = (messages: SseMessage[]) => messages.filter((m) => m.event !== "preview").map((m) => `${m.id}|${m.event}|${m.data}`);
const imagesIn = (messages: SseMessage[]) => messages.filter((m) => m.event === "image").map((m) => sseJson<{ index: number; url: string; rawUrl: string }>(m));

async function jobStatus(appUrl: string, jobId: string): Promise<string> {
  return ((await (await fetch(`${appUrl}/api/jobs/${jobId}`)).json()) as { status: string }).status;
}

describe("distributed mode: two web instances, two workers", () => {
  it("runs a job started on one instance, followed on the other with Last-Event-ID: no gap, no duplicate, images from S3 on both", async () => {
    hf.script({ kind: "ok", latencyMs: 50 }, { kind: "ok", latencyMs: 900 }, { kind: "ok", latencyMs: 1200 }, { kind: "ok", latencyMs: 1500 });
    const { controller, response } = startJob(web(0), { count: 4 });
    const first = await readMessagesUntil(await response, controller, (messages) => messages.some((m) => m.event === "image"));
    const jobId = jobIdOf(first);
    const lastId = first.filter((m) => m.id).at(-1)!.id!;
    const rest = await allEvents(web(1), jobId, { "last-event-id": lastId });
    const log = await allEvents(web(0), jobId);

    expect([...logged(first), ...logged(rest)]).toEqual(logged(log));
    expect(log.map((m) => Number(m.id))).toEqual(log.map((_, n) => n + 1));
    expect(sseJson<{ status: string; succeeded: number }>(log.at(-1)!)).toMatchObject({ status: "completed", succeeded: 4 });
    const images = imagesIn(log);
    expect(images.map((image) => image.index).sort()).toEqual([0, 1, 2, 3]);
    for (const image of images) {
      const [fromA, fromB] = await Promise.all([fetch(`${web(0)}${image.url}`), fetch(`${web(1)}${image.url}`)]);
      expect([fromA.status, fromB.status, fromA.headers.get("content-type")]).toEqual([200, 200, "image/jpeg"]);
      expect(Buffer.from(await fromA.arrayBuffer()).equals(Buffer.from(await fromB.arrayBuffer()))).toBe(true);
    }
    // The history is one: both instances list the job.
    for (const url of [web(0), web(1)]) {
      const history = (await (await fetch(`${url}/api/jobs?limit=5`)).json()) as { jobs: { id: string }[] };
      expect(history.jobs.map((job) => job.id)).toContain(jobId);
    }
  });

  it("spreads one run's images over both workers, a set in two formats made each in its own", async () => {
    hf.setDefault({ kind: "ok", latencyMs: 1500 });
    const { controller, response } = startJob(web(0), { count: 2, moreFormats: ["story"] });
    let most = 0;
    const watching = setInterval(() => (most = Math.max(most, hf.openRequests())), 20);
    const messages = await readMessagesUntil(await response, controller, (all) => all.some((m) => m.event === "done"));
    clearInterval(watching);
    // Each worker takes two at a time (WORKER_CONCURRENCY=2): four at once needs both.
    expect(most).toBe(4);
    const made = messages.filter((m) => m.event === "image").map((m) => sseJson<{ index: number; format: string; width: number; height: number }>(m));
    expect(made.sort((a, b) => a.index - b.index).map((image) => [image.format, image.width, image.height])).toEqual([
      ["instagram-square", 1080, 1080],
      ["instagram-square", 1080, 1080],
      ["story", 1080, 1920],
      ["story", 1080, 1920],
    ]);
  });

  it("Stop on the other instance aborts the provider calls on the workers, and the first viewer sees the end", async () => {
    hf.setDefault({ kind: "hang" });
    const response = await postSse(`${web(0)}/api/generate-images`, { ...BRIEF, provider: "huggingface", count: 2 });
    const messages: SseMessage[] = [];
    const reading = (async () => {
      for await (const item of readSse(response)) if (!isSseComment(item)) messages.push(item);
    })();
    await hf.waitForRequests(2, 15_000);
    await expect.poll(() => messages.some((m) => m.event === "start")).toBe(true);
    const cancel = await fetch(`${web(1)}/api/jobs/${jobIdOf(messages)}/cancel`, { method: "POST" });
    expect(await cancel.json()).toEqual({ cancelled: true });
    await hf.waitForIdle(2_000);
    expect(hf.requests.map((r) => r.outcome)).toEqual(["aborted-by-client", "aborted-by-client"]);
    await reading;
    expect(sseJson<{ status: string; cancelled: number }>(messages.at(-1)!)).toMatchObject({ status: "cancelled", cancelled: 2 });
    expect(await jobStatus(web(1), jobIdOf(messages))).toBe("cancelled");
  });

  it("keeps a run whose viewer moved to the other instance, and stops it once nobody anywhere watches", async () => {
    hf.setDefault({ kind: "hang" });
    const { controller, response } = startJob(web(0), { count: 2 });
    const first = await readMessagesUntil(await response, controller, (messages) => messages.some((m) => m.event === "start"));
    const jobId = jobIdOf(first);
    // Watched on B for longer than the grace (3 s): the run goes on.
    const watch = new AbortController();
    const following = fetch(`${web(1)}/api/jobs/${jobId}/events`, { signal: watch.signal, headers: { accept: "text/event-stream" } }).then(async (r) => {
      for await (const item of readSse(r)) void item;
    });
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect(await jobStatus(web(0), jobId)).toBe("running");
    watch.abort();
    await following.catch(() => {});
    await expect.poll(() => jobStatus(web(0), jobId), { timeout: 10_000, interval: 250 }).toBe("cancelled");
    await hf.waitForIdle(5_000);
    expect(hf.requests.every((r) => r.outcome === "aborted-by-client")).toBe(true);
  });

  it("downloads the zip from S3 through either instance", async () => {
    const { response } = startJob(web(1), { count: 2, productName: "Bucket Tea" });
    const messages: SseMessage[] = [];
    for await (const item of readSse(await response)) if (!isSseComment(item)) messages.push(item);
    const zip = await fetch(`${web(0)}/api/jobs/${jobIdOf(messages)}/download`);
    expect(zip.status).toBe(200);
    const names = Object.keys(await unzip(Buffer.from(await zip.arrayBuffer())));
    expect(names).toContain("creatives.json");
    expect(names.filter((name) => name.endsWith(".jpg"))).toHaveLength(2);
  });

  it("a logo uploaded on one instance is in the ads the workers make for a run started on the other, and an edit on either re-composites", async () => {
    const logo = await sharp({ create: { width: 400, height: 160, channels: 4, background: "#ff00ff" } }).png().toBuffer();
    const uploaded = await fetch(`${web(0)}/api/logos`, { method: "POST", headers: { "content-type": "image/png" }, body: new Uint8Array(logo) });
    expect(uploaded.status).toBe(201);
    const { logoId } = (await uploaded.json()) as { logoId: string };
    const design = { brandName: "Nimbus", primaryColor: "#0B3D2E", secondaryColor: "#FFD166", headline: "Run further", subline: "Trail shoes.", cta: "Find your pair", layout: "bottom-band", logoId };
    const { response } = startJob(web(1), { count: 2, design });
    const messages: SseMessage[] = [];
    for await (const item of readSse(await response)) if (!isSseComment(item)) messages.push(item);
    expect(sseJson<{ status: string; succeeded: number }>(messages.at(-1)!)).toMatchObject({ status: "completed", succeeded: 2 });
    const jobId = jobIdOf(messages);
    // The logo is magenta: the ad has magenta pixels where the layout puts the logo.
    const ad = await sharp(Buffer.from(await (await fetch(`${web(0)}${imagesIn(messages)[0]!.url}`)).arrayBuffer())).raw().toBuffer({ resolveWithObject: true });
    let magenta = 0;
    for (let i = 0; i < ad.data.length; i += ad.info.channels) if (ad.data[i]! > 200 && ad.data[i + 1]! < 60 && ad.data[i + 2]! > 200) magenta++;
    expect(magenta).toBeGreaterThan(500);
    const edit = await fetch(`${web(0)}/api/jobs/${jobId}/design`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ design: { headline: "Edited on A" } }) });
    expect(edit.status).toBe(200);
    const job = (await (await fetch(`${web(1)}/api/jobs/${jobId}`)).json()) as { design: { headline: string }; images: { url: string }[] };
    expect(job.design.headline).toBe("Edited on A");
    for (const image of job.images) expect((await fetch(`${web(1)}${image.url}`)).status).toBe(200);
  });

  it("a delete on the other instance stops the run on the workers, and its rows and objects go", async () => {
    hf.setDefault({ kind: "hang" });
    const { controller, response } = startJob(web(0), { count: 2 });
    const first = await readMessagesUntil(await response, controller, (messages) => messages.some((m) => m.event === "start"));
    const jobId = jobIdOf(first);
    await hf.waitForRequests(2, 15_000);
    expect((await fetch(`${web(1)}/api/jobs/${jobId}`, { method: "DELETE" })).status).toBe(204);
    await hf.waitForIdle(2_000);
    expect(hf.requests.map((r) => r.outcome)).toEqual(["aborted-by-client", "aborted-by-client"]);
    for (const url of [web(0), web(1)]) expect((await fetch(`${url}/api/jobs/${jobId}`)).status).toBe(404);
  });

  it("a worker killed mid-image: another worker redoes only what was not announced, nothing twice, nothing lost", async () => {
    hf.setDefault({ kind: "ok", latencyMs: 2500 });
    const { controller, response } = startJob(web(0), { count: 4 });
    const reading = readMessagesUntil(await response, controller, (all) => all.some((m) => m.event === "done"));
    await hf.waitForRequests(4, 15_000);
    const victim = cluster.workers[0]!;
    await victim.stop("SIGKILL");
    const messages = await reading;
    const jobId = jobIdOf(messages);
    const log = await allEvents(web(1), jobId);
    const images = imagesIn(log);
    expect(images.map((image) => image.index).sort()).toEqual([0, 1, 2, 3]);
    expect(sseJson<{ status: string; succeeded: number }>(log.at(-1)!)).toMatchObject({ status: "completed", succeeded: 4 });
    expect(imagesIn(messages).map((image) => image.index).sort()).toEqual([0, 1, 2, 3]);
    for (const image of images) expect((await fetch(`${web(1)}${image.url}`)).status).toBe(200);
    // The dead worker's two images were asked for again; the others were not.
    expect(hf.requests.length).toBe(6);
    cluster.workers.splice(0, 1);
    await cluster.startWorker();
  });

  it("a web instance killed mid-run: the page reconnects to the other and replays exactly", async () => {
    hf.script({ kind: "ok", latencyMs: 100 }, { kind: "ok", latencyMs: 2500 }, { kind: "ok", latencyMs: 2500 });
    const victim = await cluster.startWeb();
    const { controller, response } = startJob(victim.url, { count: 3 });
    const first = await readMessagesUntil(await response, controller, (messages) => messages.some((m) => m.event === "image"));
    await victim.kill("SIGKILL");
    const jobId = jobIdOf(first);
    const rest = await allEvents(web(1), jobId, { "last-event-id": first.filter((m) => m.id).at(-1)!.id! });
    const log = await allEvents(web(0), jobId);
    expect([...logged(first), ...logged(rest)]).toEqual(logged(log));
    expect(sseJson<{ status: string }>(log.at(-1)!)).toMatchObject({ status: "completed" });
    cluster.webs.splice(cluster.webs.indexOf(victim), 1);
  });

  it("Postgres restarting while images finish: the viewer is told, the images wait, the job completes", async () => {
    hf.setDefault({ kind: "ok", latencyMs: 1000 });
    const { controller, response } = startJob(web(0), { count: 4 });
    const reading = readMessagesUntil(await response, controller, (all) => all.some((m) => m.event === "done"));
    await hf.waitForRequests(4, 15_000);
    // Down for 3 s: the pictures arrive while there is no database to record them in.
    await cluster.postgres.restart(3_000);
    const messages = await reading;
    expect(messages.some((m) => m.event === "progress" && sseJson<{ message: string }>(m).message.startsWith("Waiting for the database"))).toBe(true);
    const log = await allEvents(web(1), jobIdOf(messages));
    expect(imagesIn(log).map((image) => image.index).sort()).toEqual([0, 1, 2, 3]);
    expect(sseJson<{ status: string }>(log.at(-1)!)).toMatchObject({ status: "completed", succeeded: 4 });
  });

  it("Redis restarting mid-run: the queue and the live events pause and go on, the viewer misses nothing", async () => {
    hf.setDefault({ kind: "ok", latencyMs: 1000 });
    const { controller, response } = startJob(web(0), { count: 6 });
    const reading = readMessagesUntil(await response, controller, (all) => all.some((m) => m.event === "done"));
    await hf.waitForRequests(4, 15_000);
    await cluster.redis.restart(3_000);
    const messages = await reading;
    const log = await allEvents(web(1), jobIdOf(messages));
    expect(logged(messages)).toEqual(logged(log));
    expect(imagesIn(log).map((image) => image.index).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(sseJson<{ status: string }>(log.at(-1)!)).toMatchObject({ status: "completed", succeeded: 6 });
  });
});

describe("starting in distributed mode", () => {
  it("npm start and npm run worker refuse a partial configuration, saying what is missing", async () => {
    const started = startApp({ REDIS_URL: cluster.redis.url, DATA_DIR: cluster.env.DATA_DIR! });
    await expect(started).rejects.toThrow(/REDIS_URL is set, but DATABASE_URL, S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY are missing/);
    const worker = spawnSync(process.execPath, [path.join(REPO_ROOT, ".next", "queue-worker.mjs")], { cwd: REPO_ROOT, env: cleanEnv({ DATABASE_URL: cluster.postgres.url }) as unknown as NodeJS.ProcessEnv, encoding: "utf8" });
    expect(worker.status).toBe(1);
    expect(worker.stderr).toMatch(/DATABASE_URL is set, but REDIS_URL, S3_BUCKET/);
  });

  it("web instances and workers started at the same moment on an empty S3 all come up: the bucket race is no failure (#21.9)", async () => {
    const fresh = { S3_BUCKET: `fresh-start-${Date.now()}` };
    const starting = [cluster.startWeb(fresh), cluster.startWeb(fresh), cluster.startWorker(fresh), cluster.startWorker(fresh)];
    const outcomes = await Promise.allSettled(starting);
    const started = outcomes.flatMap((outcome) => (outcome.status === "fulfilled" ? [outcome.value] : []));
    try {
      expect(outcomes.filter((outcome) => outcome.status === "rejected").map((outcome) => String((outcome as PromiseRejectedResult).reason).slice(0, 600))).toEqual([]);
      for (const each of started) expect(each.logs()).not.toMatch(/Could not start/);
      const s3 = cluster.s3.env;
      const store = new S3ImageStore({ endpoint: s3.S3_ENDPOINT, bucket: fresh.S3_BUCKET, region: s3.S3_REGION!, accessKeyId: s3.S3_ACCESS_KEY_ID!, secretAccessKey: s3.S3_SECRET_ACCESS_KEY!, forcePathStyle: true });
      expect(await store.list()).toEqual([]);
    } finally {
      // They share the queue with the rest of the cluster but not its bucket: gone before anything else runs.
      await Promise.all(started.map((each) => ("url" in each ? each.stop() : each.stop("SIGTERM", 10_000))));
    }
  });

  it("a worker without the distributed settings says it is not needed in embedded mode", () => {
    const worker = spawnSync(process.execPath, [path.join(REPO_ROOT, ".next", "queue-worker.mjs")], { cwd: REPO_ROOT, env: cleanEnv({}) as unknown as NodeJS.ProcessEnv, encoding: "utf8" });
    expect(worker.status).toBe(1);
    expect(worker.stderr).toMatch(/npm run worker is for the distributed mode/);
  });
});
