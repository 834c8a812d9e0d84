import { appSuiteHooks } from "../support/app-suite";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { makeTempDir, startApp, type AppServer } from "../support/app-server";
import type { FakeBehaviour } from "../support/fakes/fault-script";
import { startFakeHuggingFace } from "../support/fakes/hf-endpoint";
import type { FakeProvider } from "../support/fakes/scripted-fake-server";
import { generate, type Run } from "../support/generation-client";

/**
 * Fault injection against the Hugging Face protocol: one scripted fault per run, checked against
 * the README's retry policy, at the provider (how many requests, how they ended) and at the app
 * (events, still serving, nothing unhandled in its logs).
 */

let hf: FakeProvider;
let app: AppServer;
let dataDir: string;

beforeAll(async () => {
  hf = await startFakeHuggingFace();
  dataDir = makeTempDir("acg-faults-");
  app = await startApp({
    HF_TOKEN: "hf_faultInjectionToken",
    HF_ENDPOINT_URL: `${hf.url}/models/sdxl`,
    DATA_DIR: dataDir,
    GENERATION_TIMEOUT_MS: "2500",
    JOB_ORPHAN_GRACE_MS: "1000",
  });
});

// Nothing may try to leave the machine; the app and its stand-ins stop after the suite.
appSuiteHooks(() => ({ app, standIns: [hf], dataDir }));

beforeEach(() => hf.reset());

const UNHANDLED = /unhandledRejection|Unhandled|uncaughtException|TypeError/;

/** Runs one 1-image generation on Hugging Face with `fault` scripted for its first request. */
async function runWithFault(fault: FakeBehaviour): Promise<Run> {
  hf.script(fault);
  return generate(app.url, { count: 1, provider: "huggingface", seed: 1234 });
}

/** What every fault must leave behind: a live server, no open upstream request, clean logs. */
async function expectHealthyAfterwards(): Promise<void> {
  const page = await fetch(`${app.url}/`);
  expect(page.status).toBe(200);
  await page.arrayBuffer();
  await hf.waitForIdle(10_000);
  expect(hf.openRequests()).toBe(0);
  const offending = app
    .logs()
    .split("\n")
    .filter((line) => UNHANDLED.test(line));
  expect(offending).toEqual([]);
}

const retryingOf = (run: Run) => run.of("progress").filter((p) => p.status === "retrying");

describe("Hugging Face faults, one per run (README retry policy)", () => {
  it("503 loading → warms up, retries once, then the image", async () => {
    const run = await runWithFault({ kind: "loading", estimatedTime: 1 });
    expect(hf.requests).toHaveLength(2);
    const retrying = retryingOf(run);
    expect(retrying).toHaveLength(1);
    expect(retrying[0]!.message).toMatch(/warming up/i);
    expect(run.of("image")).toHaveLength(1);
    expect(run.of("error")).toHaveLength(0);
    expect(run.of("done")[0]).toMatchObject({ status: "completed", succeeded: 1, failed: 0 });
    await expectHealthyAfterwards();
  });

  it("429 with Retry-After → backs off, retries once, then the image", async () => {
    const run = await runWithFault({ kind: "status", status: 429, retryAfter: "1" });
    expect(hf.requests).toHaveLength(2);
    const retrying = retryingOf(run);
    expect(retrying).toHaveLength(1);
    expect(retrying[0]!.message).toMatch(/rate limited/i);
    expect(run.of("image")).toHaveLength(1);
    expect(run.of("done")[0]).toMatchObject({ succeeded: 1, failed: 0 });
    await expectHealthyAfterwards();
  });

  it("500 → provider_error is retried, then the image", async () => {
    const run = await runWithFault({ kind: "status", status: 500 });
    expect(hf.requests).toHaveLength(2);
    const retrying = retryingOf(run);
    expect(retrying).toHaveLength(1);
    expect(retrying[0]!.message).toMatch(/provider error/i);
    expect(run.of("image")).toHaveLength(1);
    expect(run.of("done")[0]).toMatchObject({ succeeded: 1, failed: 0 });
    await expectHealthyAfterwards();
  });

  it("401 → fails at once with auth, naming HF_TOKEN", async () => {
    const run = await runWithFault({ kind: "status", status: 401 });
    expect(hf.requests).toHaveLength(1);
    expect(retryingOf(run)).toHaveLength(0);
    const [error] = run.of("error");
    expect(error).toMatchObject({ index: 0, code: "auth", retryable: false });
    expect(error!.message).toMatch(/HF_TOKEN/);
    expect(run.of("image")).toHaveLength(0);
    expect(run.of("done")[0]).toMatchObject({ succeeded: 0, failed: 1 });
    await expectHealthyAfterwards();
  });

  it("hang → timeout, and the upstream request is aborted by the app", async () => {
    const run = await runWithFault({ kind: "hang" });
    expect(hf.requests).toHaveLength(1);
    expect(retryingOf(run)).toHaveLength(0);
    expect(run.of("error")[0]).toMatchObject({ index: 0, code: "timeout", retryable: true });
    expect(run.of("done")[0]).toMatchObject({ succeeded: 0, failed: 1 });
    await hf.waitForIdle(10_000);
    expect(hf.requests[0]!.outcome).toBe("aborted-by-client");
    await expectHealthyAfterwards();
  });

  it("connection reset mid-body → network error is retried, then the image", async () => {
    const run = await runWithFault({ kind: "reset" });
    expect(hf.requests).toHaveLength(2);
    expect(hf.requests[0]!.outcome).toBe("destroyed");
    const retrying = retryingOf(run);
    expect(retrying).toHaveLength(1);
    expect(retrying[0]!.message).toMatch(/connection problem/i);
    expect(run.of("image")).toHaveLength(1);
    expect(run.of("done")[0]).toMatchObject({ succeeded: 1, failed: 0 });
    await expectHealthyAfterwards();
  });

  for (const fault of [{ kind: "html" }, { kind: "truncated" }, { kind: "empty" }] as const) {
    it(`${fault.kind} bytes → bad_image, not retried`, async () => {
      const run = await runWithFault(fault);
      expect(hf.requests).toHaveLength(1);
      expect(retryingOf(run)).toHaveLength(0);
      expect(run.of("error")[0]).toMatchObject({ index: 0, code: "bad_image" });
      expect(run.of("image")).toHaveLength(0);
      expect(run.of("done")[0]).toMatchObject({ succeeded: 0, failed: 1 });
      await expectHealthyAfterwards();
    });
  }

  it("drip (1 byte per 100 ms) → timeout, and the upstream is closed", async () => {
    const run = await runWithFault({ kind: "drip", intervalMs: 100 });
    expect(hf.requests).toHaveLength(1);
    expect(retryingOf(run)).toHaveLength(0);
    expect(run.of("error")[0]).toMatchObject({ index: 0, code: "timeout" });
    expect(run.of("image")).toHaveLength(0);
    await hf.waitForIdle(10_000);
    expect(hf.requests[0]!.outcome).toBe("aborted-by-client");
    await expectHealthyAfterwards();
  });

  it("a picture of another size than asked is accepted and fitted to the ad", async () => {
    const run = await runWithFault({ kind: "oversized", width: 1536, height: 1152 });
    expect(run.of("error")).toHaveLength(0);
    expect(run.of("image")[0]).toMatchObject({ sourceWidth: 1536, sourceHeight: 1152, width: 1080, height: 1080 });
    await expectHealthyAfterwards();
  });

  it("a picture too long to make an ad → bad_image naming the size it got", async () => {
    const run = await runWithFault({ kind: "oversized", width: 4800, height: 600 });
    expect(hf.requests).toHaveLength(1);
    expect(retryingOf(run)).toHaveLength(0);
    const [error] = run.of("error");
    expect(error).toMatchObject({ index: 0, code: "bad_image" });
    expect(error!.message).toContain("4800×600");
    expect(run.of("done")[0]).toMatchObject({ succeeded: 0, failed: 1 });
    await expectHealthyAfterwards();
  });
});

describe("mixed faults in one run", () => {
  it("gives each image its own fate: auth, bad bytes, warm-up retry and hang do not affect each other", async () => {
    // Consumed in request-arrival order; every image's first request arrives at once (concurrency 4),
    // so which index gets which fault is not fixed: fates are matched through each request's prompt.
    hf.script({ kind: "status", status: 401 }, { kind: "truncated" }, { kind: "loading", estimatedTime: 1 }, { kind: "hang" });
    const run = await generate(app.url, { count: 4, provider: "huggingface", seed: 99 });

    const prompts = run.of("start")[0]!.prompts;
    expect(new Set(prompts).size).toBe(4);
    const requestsFor = (index: number) => hf.requests.filter((r) => r.prompt === prompts[index]);
    expect(hf.requests).toHaveLength(5);

    // Exactly one terminal event per index.
    const images = run.of("image");
    const errors = run.of("error");
    const terminal = [...images.map((i) => i.index), ...errors.map((e) => e.index)].sort();
    expect(terminal).toEqual([0, 1, 2, 3]);

    expect(errors.map((e) => e.code).sort()).toEqual(["auth", "bad_image", "timeout"]);
    expect(images).toHaveLength(1);
    const retrying = retryingOf(run);
    expect(retrying).toHaveLength(1);
    // The warm-up retry belongs to the one image that made it, and only it was asked twice.
    expect(retrying[0]!.index).toBe(images[0]!.index);
    expect(retrying[0]!.message).toMatch(/warming up/i);
    expect(requestsFor(images[0]!.index)).toHaveLength(2);
    // The app may report the timeout a moment before the fake sees the socket close.
    await hf.waitForIdle(10_000);
    for (const error of errors) {
      expect(requestsFor(error.index)).toHaveLength(1);
      if (error.code === "timeout") expect(requestsFor(error.index)[0]!.outcome).toBe("aborted-by-client");
    }
    expect(run.of("done")[0]).toMatchObject({ status: "completed", succeeded: 1, failed: 3, cancelled: 0 });
    await expectHealthyAfterwards();
  });
});
