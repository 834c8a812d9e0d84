import sharp from "sharp";
import { appSuiteHooks } from "../support/app-suite";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startApp, makeTempDir, type AppServer } from "../support/app-server";
import { startFakeHuggingFace } from "../support/fakes/hf-endpoint";
import { startFakePollinations } from "../support/fakes/pollinations-legacy";
import type { FakeProvider } from "../support/fakes/scripted-fake-server";
import { BRIEF, generate } from "../support/generation-client";
import { postSse, readSse } from "../support/sse-client";

const CANARY_TOKEN = "hf_canaryTOKEN0123456789abcdefXYZ";

let hf: FakeProvider;
let pollinations: FakeProvider;
let app: AppServer;
let dataDir: string;

beforeAll(async () => {
  hf = await startFakeHuggingFace({ requireToken: CANARY_TOKEN });
  pollinations = await startFakePollinations();
  dataDir = makeTempDir("acg-int-");
  app = await startApp({
    HF_TOKEN: CANARY_TOKEN,
    HF_ENDPOINT_URL: `${hf.url}/models/stabilityai/stable-diffusion-xl-base-1.0`,
    // No key: the legacy free endpoint, which this old-protocol fake speaks.
    POLLINATIONS_LEGACY_URL: pollinations.url,
    DATA_DIR: dataDir,
    GENERATION_CONCURRENCY: "4",
    GENERATION_TIMEOUT_MS: "4000",
    SSE_HEARTBEAT_MS: "250",
    JOB_ORPHAN_GRACE_MS: "1000",
  });
});

// Nothing may try to leave the machine; the app and its stand-ins stop after the suite.
appSuiteHooks(() => ({ app, standIns: [hf, pollinations], dataDir }));

beforeEach(() => {
  hf.reset();
  pollinations.reset();
});

describe("POST /api/generate-images (Hugging Face protocol)", () => {
  it("streams a well-formed run: headers, increasing ids, start → images → done", async () => {
    const run = await generate(app.url, { count: 4, provider: "huggingface", seed: 42 }, { headers: { "accept-encoding": "gzip, br" } });
    const headers = run.response.headers;
    expect(headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(headers.get("cache-control")).toBe("no-cache, no-transform");
    expect(headers.get("x-accel-buffering")).toBe("no");
    expect(headers.get("content-encoding")).toBeNull();

    // Every logged event has the next id; the transient raw previews have none.
    const logged = run.messages.filter((m) => m.event !== "preview");
    const ids = logged.map((m) => Number(m.id));
    expect(ids).toEqual(ids.map((_, i) => i + 1));
    expect(run.messages.filter((m) => m.event === "preview").every((m) => m.id === undefined)).toBe(true);
    expect(run.messages[0]?.event).toBe("start");
    expect(run.messages.at(-1)?.event).toBe("done");

    const [start] = run.of("start");
    expect(start).toMatchObject({ total: 4, provider: "huggingface", width: 1024, height: 1024, seed: 42 });
    expect(start!.prompts).toHaveLength(4);
    expect(run.of("done")[0]).toMatchObject({ succeeded: 4, failed: 0, cancelled: 0 });

    const images = run.of("image");
    expect(images.map((i) => i.index).sort()).toEqual([0, 1, 2, 3]);
    for (const image of images) {
      expect(image.url).toMatch(/^\/api\/images\/[0-9a-f]{32}\.jpg$/);
      expect(image.rawUrl).toMatch(/^\/api\/images\/[0-9a-f]{32}\.png$/);
      expect(image.placeholder.length).toBeLessThanOrEqual(1024);
      expect(image.prompt).toBe(start!.prompts[image.index]);
      // The finished ad at the platform's exact size...
      const file = await fetch(app.url + image.url);
      expect(file.status).toBe(200);
      expect(file.headers.get("content-type")).toBe("image/jpeg");
      expect(file.headers.get("cache-control")).toMatch(/immutable/);
      const bytes = Buffer.from(await file.arrayBuffer());
      expect(bytes.length).toBe(image.bytes);
      expect(await sharp(bytes).metadata()).toMatchObject({ width: 1080, height: 1080, format: "jpeg" });
      // ...and the provider's untouched picture beside it.
      const raw = await fetch(app.url + image.rawUrl);
      expect(raw.headers.get("content-type")).toBe("image/png");
      expect(await sharp(Buffer.from(await raw.arrayBuffer())).metadata()).toMatchObject({ width: 1024, height: 1024, format: "png" });
    }
  });

  it("sends the documented HF request: bearer token, {inputs, parameters} with size, seed and negative prompt", async () => {
    const run = await generate(app.url, { count: 2, provider: "huggingface", format: "link", seed: 7 });
    expect(hf.requests).toHaveLength(2);
    const prompts = run.of("start")[0]!.prompts;
    for (const request of hf.requests) {
      expect(request.method).toBe("POST");
      expect(request.path).toBe("/models/stabilityai/stable-diffusion-xl-base-1.0");
      expect(request.headers.authorization).toBe(`Bearer ${CANARY_TOKEN}`);
      const body = request.body as { inputs: string; parameters: Record<string, unknown> };
      expect(prompts).toContain(body.inputs);
      expect(body.parameters).toMatchObject({ width: 1216, height: 640 });
      expect(typeof body.parameters.seed).toBe("number");
      expect(body.parameters.negative_prompt).toMatch(/watermark/);
    }
  });

  it("delivers each image as soon as it is ready: the first arrives while the last is still being made", async () => {
    hf.script({ kind: "ok", latencyMs: 50 }, { kind: "ok", latencyMs: 1500 }, { kind: "ok", latencyMs: 1500 }, { kind: "ok", latencyMs: 1500 });
    const run = await generate(app.url, { count: 4, provider: "huggingface" });
    const images = run.of("image");
    expect(images).toHaveLength(4);
    const lastUpstreamEnd = Math.max(...hf.requests.map((r) => r.endedAt ?? Infinity));
    expect(images[0]!.receivedAt).toBeLessThan(lastUpstreamEnd);
    expect(images[0]!.receivedAt).toBeLessThan(run.of("done")[0]!.receivedAt);
  });

  it("closes every upstream request once the last viewer has been gone for the grace period, and keeps serving", async () => {
    hf.setDefault({ kind: "hang" });
    const controller = new AbortController();
    const response = await postSse(`${app.url}/api/generate-images`, { ...BRIEF, count: 4, provider: "huggingface" }, { signal: controller.signal });
    const reading = (async () => {
      try {
        for await (const item of readSse(response)) void item;
      } catch {
        // The abort below ends the read.
      }
    })();
    await hf.waitForRequests(4, 10_000);
    expect(hf.openRequests()).toBe(4);
    controller.abort();
    await reading;
    await hf.waitForIdle(10_000);
    expect(hf.requests.map((r) => r.outcome)).toEqual(["aborted-by-client", "aborted-by-client", "aborted-by-client", "aborted-by-client"]);

    hf.setDefault({ kind: "ok" });
    const after = await generate(app.url, { count: 1, provider: "huggingface" });
    expect(after.of("done")[0]?.succeeded).toBe(1);
  });

  it("waits for a loading model (503 + estimated_time) and then succeeds, telling the user why", async () => {
    hf.script({ kind: "loading", estimatedTime: 1 });
    const run = await generate(app.url, { count: 1, provider: "huggingface" });
    expect(hf.requests).toHaveLength(2);
    const retrying = run.of("progress").filter((p) => p.status === "retrying");
    expect(retrying).toHaveLength(1);
    expect(retrying[0]!.message).toMatch(/warming up/i);
    expect(run.of("done")[0]).toMatchObject({ succeeded: 1, failed: 0 });
  });

  it("honours 429 Retry-After and retries", async () => {
    hf.script({ kind: "status", status: 429, retryAfter: "1" });
    const run = await generate(app.url, { count: 1, provider: "huggingface" });
    expect(hf.requests).toHaveLength(2);
    expect(hf.requests[1]!.startedAt - hf.requests[0]!.startedAt).toBeGreaterThanOrEqual(1000);
    expect(run.of("progress").some((p) => p.status === "retrying" && /rate limited/i.test(p.message))).toBe(true);
    expect(run.of("done")[0]?.succeeded).toBe(1);
  });

  it("fails at once on 401 with a message naming HF_TOKEN, without retrying", async () => {
    hf.script({ kind: "status", status: 401, body: "Invalid credentials in Authorization header" });
    const run = await generate(app.url, { count: 1, provider: "huggingface" });
    expect(hf.requests).toHaveLength(1);
    expect(run.of("error")[0]).toMatchObject({ index: 0, code: "auth", retryable: false });
    expect(run.of("error")[0]!.message).toMatch(/HF_TOKEN/);
  });

  it("keeps a failure to its own image: the others still arrive", async () => {
    hf.script({ kind: "status", status: 422, body: "bad parameters" });
    const run = await generate(app.url, { count: 3, provider: "huggingface" });
    expect(run.of("error")).toHaveLength(1);
    expect(run.of("error")[0]).toMatchObject({ code: "bad_request" });
    expect(run.of("image")).toHaveLength(2);
    expect(run.of("done")[0]).toMatchObject({ succeeded: 2, failed: 1 });
  });

  it("reports garbage bytes and hangs per image as errors, never as images", async () => {
    hf.script({ kind: "html" }, { kind: "truncated" }, { kind: "empty" }, { kind: "hang" });
    const run = await generate(app.url, { count: 4, provider: "huggingface" });
    expect(run.of("image")).toHaveLength(0);
    const codes = run.of("error").map((e) => e.code).sort();
    expect(codes).toEqual(["bad_image", "bad_image", "bad_image", "timeout"]);
    await hf.waitForIdle(5000);
  });

  it("sends a heartbeat comment while waiting on a slow provider", async () => {
    hf.script({ kind: "ok", latencyMs: 900 });
    const run = await generate(app.url, { count: 1, provider: "huggingface" });
    expect(run.comments).toContain("ping");
  });

  it("never leaks the token: not in the stream, headers, page or server logs", async () => {
    hf.script({ kind: "status", status: 401 }, { kind: "status", status: 500 });
    const run = await generate(app.url, { count: 2, provider: "huggingface" });
    const streamed = run.messages.map((m) => m.data).join("\n");
    expect(streamed).not.toContain(CANARY_TOKEN);
    expect(JSON.stringify([...run.response.headers])).not.toContain(CANARY_TOKEN);
    const page = await fetch(app.url + "/");
    const html = await page.text();
    expect(html).not.toContain(CANARY_TOKEN);
    expect(JSON.stringify([...page.headers])).not.toContain(CANARY_TOKEN);
    expect(app.logs()).not.toContain(CANARY_TOKEN);
  });
});

describe("POST /api/generate-images (Pollinations protocol)", () => {
  it("GETs /prompt/{encoded prompt} with width, height, seed, model and nologo, and streams JPEGs", async () => {
    const run = await generate(app.url, { count: 2, provider: "pollinations", format: "instagram-portrait", seed: 5 });
    expect(run.of("done")[0]).toMatchObject({ succeeded: 2 });
    const prompts = run.of("start")[0]!.prompts;
    // Besides the images, only the reachability probe of the free endpoint's model list.
    expect(pollinations.requests.every((request) => request.path.startsWith("/prompt/") || request.path === "/models")).toBe(true);
    for (const request of pollinations.requests.filter((r) => r.path.startsWith("/prompt/"))) {
      expect(request.method).toBe("GET");
      expect(prompts).toContain(decodeURIComponent(request.path.slice("/prompt/".length)));
      expect(request.query).toMatchObject({ width: "896", height: "1152", model: "flux", nologo: "true" });
      expect(request.query.seed).toMatch(/^\d+$/);
    }
    for (const image of run.of("image")) {
      expect(image.rawUrl).toMatch(/\.jpg$/);
      expect(image).toMatchObject({ width: 1080, height: 1350, format: "instagram-portrait" });
    }
  });
});
