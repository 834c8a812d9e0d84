import pLimit from "p-limit";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_BRIEF } from "@/lib/campaign";
import { DEFAULT_DESIGN } from "@/lib/design";
import type { GenerationEvent, GenerationEventData, GenerationEventName } from "@/lib/events";
import { toWireEvent } from "@/lib/server/http/wire-events";
import { runGeneration, sizeWarning, type GenerationPlan, type RunnerOptions } from "@/lib/server/generation/runner";
import type { ImageProvider, ImageRequest, ProviderRoute } from "@/lib/server/providers/provider";
import { ProviderError } from "@/lib/server/providers/provider-error";

// The smallest picture the runner accepts (its short side must be at least 256 px).
const SIZE = 256;
let png: Buffer;

beforeAll(async () => {
  png = await sharp({ create: { width: SIZE, height: SIZE, channels: 3, background: "#3366cc" } }).png().toBuffer();
});

type Handler = (request: ImageRequest, call: number) => Promise<Buffer>;

/** An in-process provider whose every call is scripted by the test. */
function fakeProvider(handler: Handler) {
  const calls: ImageRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const status = () => ({ id: "builtin" as const, label: "Fake", model: "fake-1", models: [{ id: "fake-1", label: "Fake", available: true, routes: ["fake"] }], available: true });
  const provider: ImageProvider = {
    id: "builtin",
    label: "Fake",
    status,
    refresh: async () => status(),
    planRoutes: async () => ({ ok: true, routes: [{ id: "fake", label: "fake" }] }),
    async generate(request) {
      calls.push(request);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        return { bytes: await handler(request, calls.length) };
      } finally {
        inFlight--;
      }
    },
  };
  return { provider, calls, maxInFlight: () => maxInFlight };
}

function plan(provider: ImageProvider, count: number, routes: ProviderRoute[] = [{ id: "fake", label: "fake" }]): GenerationPlan {
  return {
    jobId: "job-1",
    brief: DEFAULT_BRIEF,
    design: DEFAULT_DESIGN,
    preset: "auto",
    format: "instagram-square",
    provider,
    model: "fake-1",
    routes,
    width: SIZE,
    height: SIZE,
    seed: 100,
    prompts: Array.from({ length: count }, (_, i) => `prompt ${i}`),
    negativePrompt: "blurry",
    indices: Array.from({ length: count }, (_, i) => i),
    seeds: Array.from({ length: count }, (_, i) => 100 + i),
  };
}

function harness(overrides: Partial<RunnerOptions> = {}) {
  const events: GenerationEvent[] = [];
  const sleeps: number[] = [];
  const controller = new AbortController();
  const options: RunnerOptions = {
    concurrency: 4,
    attemptTimeoutMs: 10_000,
    signal: controller.signal,
    // What viewers get: the core's ids turned into URLs.
    emit: (event) => void events.push(toWireEvent(event)),
    store: async () => ({
      placeholder: "data:image/webp;base64,AAAA",
      compositeId: `${"a".repeat(32)}.jpg`,
      thumbId: `${"b".repeat(32)}.webp`,
      rawId: `${"c".repeat(32)}.png`,
      width: SIZE,
      height: SIZE,
      bytes: 1234,
      mimeType: "image/jpeg",
      layout: "bottom-band",
    }),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...overrides,
  };
  const of = <N extends GenerationEventName>(name: N): GenerationEventData<N>[] =>
    events.filter((e) => e.event === name).map((e) => e.data as GenerationEventData<N>);
  return { events, sleeps, controller, options, of };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const abortable = (signal: AbortSignal) =>
  new Promise<never>((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true }));

describe("runGeneration", () => {
  it("never runs more provider calls at once than the concurrency bound", async () => {
    const fake = fakeProvider(async () => {
      await new Promise((r) => setTimeout(r, 5));
      return png;
    });
    const h = harness({ concurrency: 2 });
    const done = await runGeneration(plan(fake.provider, 6), h.options);
    expect(fake.maxInFlight()).toBe(2);
    expect(done).toMatchObject({ succeeded: 6, failed: 0, cancelled: 0 });
  });

  it("announces images in completion order, each with its own prompt and seed", async () => {
    const gates = [deferred(), deferred(), deferred()];
    const fake = fakeProvider(async (request) => {
      await gates[Number(request.prompt.split(" ")[1])]!.promise;
      return png;
    });
    const h = harness();
    const running = runGeneration(plan(fake.provider, 3), h.options);
    await new Promise((r) => setTimeout(r, 10));
    gates[2]!.resolve();
    await new Promise((r) => setTimeout(r, 30));
    gates[0]!.resolve();
    await new Promise((r) => setTimeout(r, 30));
    gates[1]!.resolve();
    await running;
    expect(h.of("image").map((i) => i.index)).toEqual([2, 0, 1]);
    expect(h.of("image").map((i) => [i.prompt, i.seed])).toEqual([["prompt 2", 102], ["prompt 0", 100], ["prompt 1", 101]]);
    expect(h.events[0]?.event).toBe("start");
    expect(h.events.at(-1)?.event).toBe("done");
    const image = h.of("image")[0]!;
    expect(image.placeholder).toMatch(/^data:image\/webp;base64,/);
    expect(image.placeholder.length).toBeLessThanOrEqual(1024);
    expect(image).toMatchObject({ width: SIZE, height: SIZE, mimeType: "image/jpeg", bytes: 1234, rawUrl: `/api/images/${"c".repeat(32)}.png` });
  });

  it("waits out a model warm-up (503 loading) with min(estimated_time, 30) s, then succeeds", async () => {
    const fake = fakeProvider(async (_r, call) => {
      if (call === 1) throw new ProviderError("model_loading", "loading", { status: 503, estimatedTimeSec: 12 });
      if (call === 2) throw new ProviderError("model_loading", "loading", { status: 503, estimatedTimeSec: 400 });
      return png;
    });
    const h = harness();
    const done = await runGeneration(plan(fake.provider, 1), h.options);
    expect(done.succeeded).toBe(1);
    expect(fake.calls).toHaveLength(3);
    expect(h.sleeps).toEqual([12_000, 30_000]);
    const retrying = h.of("progress").filter((p) => p.status === "retrying");
    expect(retrying).toHaveLength(2);
    expect(retrying[0]!.message).toMatch(/warming up/i);
  });

  it("gives up on a model that keeps loading after 3 retries", async () => {
    const fake = fakeProvider(async () => {
      throw new ProviderError("model_loading", "still loading", { status: 503, estimatedTimeSec: 1 });
    });
    const h = harness();
    const done = await runGeneration(plan(fake.provider, 1), h.options);
    expect(fake.calls).toHaveLength(4);
    expect(done.failed).toBe(1);
    expect(h.of("error")[0]).toMatchObject({ code: "model_loading", retryable: true });
  });

  it("honours Retry-After on 429, with jitter on top", async () => {
    const fake = fakeProvider(async (_r, call) => {
      if (call === 1) throw new ProviderError("rate_limited", "slow down", { status: 429, retryAfterMs: 3000 });
      return png;
    });
    const h = harness({ random: () => 0.25 });
    await runGeneration(plan(fake.provider, 1), h.options);
    expect(h.sleeps).toEqual([3250]);
  });

  it("retries network errors twice, then reports the failure", async () => {
    const fake = fakeProvider(async () => {
      throw new ProviderError("network", "Could not reach Fake (ECONNRESET)");
    });
    const h = harness();
    const done = await runGeneration(plan(fake.provider, 1), h.options);
    expect(fake.calls).toHaveLength(3);
    expect(done.failed).toBe(1);
    expect(h.of("error")[0]).toMatchObject({ code: "network", retryable: true });
  });

  it("fails at once on 401 with a message naming HF_TOKEN, and on other 4xx", async () => {
    for (const error of [
      new ProviderError("auth", "Hugging Face refused the credentials (HTTP 401). Check HF_TOKEN in .env.local", { status: 401 }),
      new ProviderError("bad_request", "rejected (HTTP 422)", { status: 422 }),
    ]) {
      const fake = fakeProvider(async () => {
        throw error;
      });
      const h = harness();
      await runGeneration(plan(fake.provider, 1), h.options);
      expect(fake.calls).toHaveLength(1);
      expect(h.sleeps).toEqual([]);
      expect(h.of("error")[0]).toMatchObject({ code: error.code, retryable: false, message: error.message });
    }
  });

  it("keeps the other images going when one fails", async () => {
    const fake = fakeProvider(async (request) => {
      if (request.prompt === "prompt 1") throw new ProviderError("bad_request", "nope", { status: 400 });
      return png;
    });
    const h = harness();
    const done = await runGeneration(plan(fake.provider, 4), h.options);
    expect(done).toMatchObject({ succeeded: 3, failed: 1, cancelled: 0 });
    expect(h.of("error").map((e) => e.index)).toEqual([1]);
  });

  it("rejects bytes that are not a whole image, or a picture too small or too long to make an ad", async () => {
    const tiny = await sharp({ create: { width: 200, height: 300, channels: 3, background: "#000" } }).png().toBuffer();
    const sliver = await sharp({ create: { width: 2400, height: 300, channels: 3, background: "#000" } }).png().toBuffer();
    const cases: [Buffer, RegExp][] = [
      [Buffer.from("<!DOCTYPE html><html><body>502 Bad Gateway</body></html>"), /not an image \(an HTML page\)/],
      [Buffer.alloc(0), /empty/],
      [png.subarray(0, Math.floor(png.length / 2)), /damaged|incomplete|not an image/],
      [tiny, /200×300 image, which cannot make an ad/],
      [sliver, /2400×300 image, which cannot make an ad/],
    ];
    for (const [bytes, message] of cases) {
      const fake = fakeProvider(async () => bytes);
      const h = harness();
      const done = await runGeneration(plan(fake.provider, 1), h.options);
      expect(done.failed).toBe(1);
      expect(h.of("image")).toHaveLength(0);
      expect(h.of("error")[0]?.code).toBe("bad_image");
      expect(h.of("error")[0]?.message).toMatch(message);
    }
  });

  it("accepts a whole picture of another size than asked, and reports its real size", async () => {
    const other = await sharp({ create: { width: 300, height: 400, channels: 3, background: "#123456" } }).jpeg().toBuffer();
    const fake = fakeProvider(async () => other);
    const h = harness();
    const done = await runGeneration(plan(fake.provider, 1), h.options);
    expect(done.succeeded).toBe(1);
    expect(h.of("image")[0]).toMatchObject({ sourceWidth: 300, sourceHeight: 400, model: "fake-1", route: "fake" });
  });

  it("moves an image on to the next route when one needs payment or does not serve the model, and says so", async () => {
    const routes = [
      { id: "fal-ai", label: "fal-ai" },
      { id: "nscale", label: "nscale" },
      { id: "hf-inference", label: "hf-inference" },
    ];
    const fake = fakeProvider(async (request) => {
      if (request.route.id === "fal-ai") throw new ProviderError("payment_required", "needs payment", { status: 402 });
      if (request.route.id === "nscale") throw new ProviderError("unsupported", "not served", { status: 404 });
      return png;
    });
    const h = harness();
    const done = await runGeneration(plan(fake.provider, 1, routes), h.options);
    expect(done.succeeded).toBe(1);
    expect(fake.calls.map((call) => call.route.id)).toEqual(["fal-ai", "nscale", "hf-inference"]);
    expect(h.sleeps).toEqual([]);
    const messages = h.of("progress").filter((p) => p.status === "retrying").map((p) => p.message);
    expect(messages).toEqual(["fal-ai: payment required, trying nscale", "nscale: model not supported, trying hf-inference"]);
    expect(h.of("image")[0]).toMatchObject({ route: "hf-inference" });
  });

  it("ends the run for every image at a failure that ends it (an account out of credit): no next route, no image not yet started asks", async () => {
    const routes = [
      { id: "fal-ai", label: "fal-ai" },
      { id: "nscale", label: "nscale" },
    ];
    const fake = fakeProvider(async () => {
      throw new ProviderError("payment_required", "Your Hugging Face account is out of credit", { status: 402, endsRun: true });
    });
    const h = harness({ concurrency: 1 });
    const done = await runGeneration(plan(fake.provider, 3, routes), h.options);
    expect(done).toMatchObject({ succeeded: 0, failed: 3 });
    expect(fake.calls.map((call) => call.route.id)).toEqual(["fal-ai"]);
    expect(h.of("error").map((error) => [error.index, error.code, error.message])).toEqual([0, 1, 2].map((index) => [index, "payment_required", "Your Hugging Face account is out of credit"]));
    expect(h.of("progress").filter((p) => p.status === "retrying")).toEqual([]);
  });

  it("spends the retry policy on a route before moving on, and never moves on from a refused token", async () => {
    const routes = [
      { id: "a", label: "a" },
      { id: "b", label: "b" },
    ];
    const flaky = fakeProvider(async (request) => {
      if (request.route.id === "a") throw new ProviderError("provider_error", "boom", { status: 500 });
      return png;
    });
    const h = harness();
    await runGeneration(plan(flaky.provider, 1, routes), h.options);
    expect(flaky.calls.map((call) => call.route.id)).toEqual(["a", "a", "a", "b"]);
    expect(h.of("progress").some((p) => p.message === "a: failed, trying b")).toBe(true);

    const refused = fakeProvider(async () => {
      throw new ProviderError("auth", "token refused", { status: 401 });
    });
    const h2 = harness();
    const done = await runGeneration(plan(refused.provider, 1, routes), h2.options);
    expect(refused.calls.map((call) => call.route.id)).toEqual(["a"]);
    expect(done.failed).toBe(1);
    expect(h2.of("error")[0]).toMatchObject({ code: "auth" });
  });

  it("reports the last route's failure when every route failed", async () => {
    const routes = [
      { id: "a", label: "a" },
      { id: "b", label: "b" },
    ];
    const fake = fakeProvider(async (request) => {
      throw new ProviderError("payment_required", `${request.route.id} needs payment`, { status: 402 });
    });
    const h = harness();
    const done = await runGeneration(plan(fake.provider, 1, routes), h.options);
    expect(done.failed).toBe(1);
    expect(h.of("error")[0]).toMatchObject({ code: "payment_required", message: "b needs payment", retryable: true });
  });

  it("turns a hung attempt into a timeout error instead of waiting forever", async () => {
    const fake = fakeProvider((request) => abortable(request.signal));
    const h = harness({ attemptTimeoutMs: 1000 });
    const done = await runGeneration(plan(fake.provider, 1), h.options);
    expect(done.failed).toBe(1);
    expect(h.of("error")[0]).toMatchObject({ code: "timeout", retryable: true });
    expect(fake.calls[0]!.signal.aborted).toBe(true);
  });

  it("aborts every in-flight call at once on Stop, and queued images never start", async () => {
    const fake = fakeProvider((request) => abortable(request.signal));
    const h = harness({ concurrency: 2 });
    const running = runGeneration(plan(fake.provider, 5), h.options);
    while (fake.calls.length < 2) await new Promise((r) => setTimeout(r, 1));
    h.controller.abort();
    const done = await running;
    expect(fake.calls).toHaveLength(2);
    expect(fake.calls.every((call) => call.signal.aborted)).toBe(true);
    expect(done).toMatchObject({ status: "cancelled", succeeded: 0, failed: 0, cancelled: 5 });
    expect(h.of("error")).toHaveLength(0);
    expect(h.events.at(-1)?.event).toBe("done");
  });

  it("does not announce an image until it is stored, and reports a storage failure", async () => {
    const fake = fakeProvider(async () => png);
    const h = harness({
      store: async () => {
        throw Object.assign(new Error("no space"), { code: "ENOSPC" });
      },
    });
    const done = await runGeneration(plan(fake.provider, 1), h.options);
    expect(done.failed).toBe(1);
    expect(h.of("image")).toHaveLength(0);
    expect(h.of("error")[0]).toMatchObject({ code: "storage" });
    expect(h.of("error")[0]?.message).toMatch(/the disk is full.*DATA_DIR/);
  });

  it("makes only the requested indices when retrying part of a batch", async () => {
    const fake = fakeProvider(async () => png);
    const h = harness();
    const p = { ...plan(fake.provider, 4), indices: [2] };
    const done = await runGeneration(p, h.options);
    expect(done.succeeded).toBe(1);
    expect(fake.calls.map((c) => [c.prompt, c.seed])).toEqual([["prompt 2", 102]]);
    expect(h.of("start")[0]).toMatchObject({ total: 1, indices: [2], batchSize: 4, format: "instagram-square" });
  });

  it("shares one provider-call bound across concurrent runs, so a burst of jobs cannot pile up in memory", async () => {
    let inFlight = 0;
    let peak = 0;
    const fake = fakeProvider(async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return png;
    });
    const shared = pLimit(3);
    const runs = [1, 2].map(() => {
      const h = harness({ concurrency: 4, providerSlot: (work) => shared(work) });
      return runGeneration(plan(fake.provider, 4), h.options);
    });
    const results = await Promise.all(runs);
    expect(results.map((r) => r.succeeded)).toEqual([4, 4]);
    expect(peak).toBe(3);
  });
});

describe("a picture of another shape than asked", () => {
  it("says how much the crop leaves out once it is more than a sliver", () => {
    expect(sizeWarning("fal", { width: 1024, height: 1024 }, { width: 768, height: 1344 })).toEqual([
      { setting: "size", message: "fal sent a 1024×1024 picture for a 768×1344 request: the ad is cropped from it, leaving out 43% of the picture." },
    ]);
  });

  it("says nothing for the exact shape or a crop of 5 % or less", () => {
    expect(sizeWarning("fal", { width: 768, height: 1344 }, { width: 768, height: 1344 })).toEqual([]);
    expect(sizeWarning("fal", { width: 1024, height: 1024 }, { width: 1080, height: 1040 })).toEqual([]);
  });
});
