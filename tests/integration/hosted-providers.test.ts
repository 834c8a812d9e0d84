import sharp from "sharp";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { freePort, makeTempDir, removeDir, startApp, type AppServer } from "../support/app-server";
import { startHuggingFaceStandIn, type HuggingFaceStandIn } from "../support/fakes/hugging-face";
import { QWEN, SCHNELL, SDXL, STAND_IN_MODELS } from "../support/fakes/hub-models";
import { startPollinationsStandIn, type PollinationsStandIn } from "../support/fakes/pollinations";
import { BRIEF, generate } from "../support/generation-client";
import { collectSse, postSse, sseJson, type SseMessage } from "../support/sse-client";
import { unzip } from "../support/unzip";

const TOKEN = "hf_standInToken0123456789abcdef";
const REVOKED = "hf_revokedToken0123456789abcdef";
const READ_ONLY = "hf_fineGrainedNoInference012345";
const POLLEN_KEY = "sk_standInPollinationsKey0123";

let hf: HuggingFaceStandIn;
let pollinations: PollinationsStandIn;
let app: AppServer;
let revokedApp: AppServer;
let readOnlyApp: AppServer;
let offlineApp: AppServer;
const dataDirs: string[] = [];

function appEnv(extra: Record<string, string>): Record<string, string> {
  const dataDir = makeTempDir("acg-hosted-");
  dataDirs.push(dataDir);
  return {
    HF_HUB_URL: hf.hubUrl,
    HF_ROUTER_URL: hf.routerUrl,
    POLLINATIONS_BASE_URL: pollinations.genUrl,
    POLLINATIONS_LEGACY_URL: pollinations.legacyUrl,
    DATA_DIR: dataDir,
    GENERATION_TIMEOUT_MS: "8000",
    ...extra,
  };
}

beforeAll(async () => {
  hf = await startHuggingFaceStandIn({
    models: STAND_IN_MODELS,
    tokens: {
      [TOKEN]: { name: "ada-lovelace", role: "fineGrained", permissions: ["inference.serverless.write"] },
      [READ_ONLY]: { name: "grace-hopper", role: "fineGrained", permissions: ["repo.content.read"] },
    },
  });
  pollinations = await startPollinationsStandIn({ keys: [POLLEN_KEY] });
  // Nothing listens on this port: the providers of `offlineApp` cannot be reached.
  const closed = `http://127.0.0.1:${await freePort()}`;
  [app, revokedApp, readOnlyApp, offlineApp] = await Promise.all([
    startApp(appEnv({ HF_TOKEN: TOKEN, POLLINATIONS_TOKEN: POLLEN_KEY })),
    startApp(appEnv({ HF_TOKEN: REVOKED })),
    startApp(appEnv({ HF_TOKEN: READ_ONLY, HF_PROVIDER: "replicate" })),
    startApp({ ...appEnv({ HF_TOKEN: TOKEN }), HF_HUB_URL: closed, POLLINATIONS_LEGACY_URL: closed }),
  ]);
});

afterAll(async () => {
  await Promise.all([app?.stop(), revokedApp?.stop(), readOnlyApp?.stop(), offlineApp?.stop()]);
  await Promise.all([hf?.close(), pollinations?.close()]);
  for (const dir of dataDirs) removeDir(dir);
});

beforeEach(() => {
  hf.reset();
  pollinations.reset();
});

afterEach(() => {
  // Every provider call went to the stand-ins on 127.0.0.1; nothing tried to leave the machine.
  expect(app.outboundAttempts()).toEqual([]);
  expect(revokedApp.outboundAttempts()).toEqual([]);
  expect(readOnlyApp.outboundAttempts()).toEqual([]);
  expect(offlineApp.outboundAttempts()).toEqual([]);
});

async function providers(server: AppServer) {
  const response = await fetch(`${server.url}/api/providers`);
  expect(response.status).toBe(200);
  const text = await response.text();
  return { text, body: JSON.parse(text) as { providers: { id: string; label: string; model: string; models: { id: string; available: boolean; reason?: string; routes: string[] }[]; account?: { ok: boolean; message: string } }[] } };
}

describe("Hugging Face Inference Providers (auto)", () => {
  it("lists each offered model with the providers that serve it, and a model nobody serves disabled with the reason", async () => {
    const { text, body } = await providers(app);
    expect(text).not.toContain(TOKEN);
    const huggingface = body.providers.find((provider) => provider.id === "huggingface")!;
    expect(huggingface.models.map((model) => model.id)).toEqual([SDXL, SCHNELL, QWEN]);
    expect(huggingface.models[0]).toMatchObject({ available: true, routes: ["fal-ai", "nscale", "hf-inference"] });
    expect(huggingface.models[1]).toMatchObject({ available: true, routes: ["replicate", "together"] });
    expect(huggingface.models[2]).toMatchObject({ available: false, routes: [] });
    expect(huggingface.models[2]!.reason).toMatch(/No Inference Provider serves Qwen\/Qwen-Image/);
    // The mapping is cached (5 minutes): another page load does not ask the Hub again.
    const lookups = hf.of("hub", "/api/models/").length;
    await providers(app);
    expect(hf.of("hub", "/api/models/")).toHaveLength(lookups);
  });

  it("checks the token with whoami and says who is signed in, without the token in the answer", async () => {
    const response = await fetch(`${app.url}/api/providers/huggingface/check`, { method: "POST" });
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(text).not.toContain(TOKEN);
    expect(JSON.parse(text).provider.account).toMatchObject({ ok: true, message: "Signed in as ada-lovelace" });
    expect(hf.of("hub", "/api/whoami-v2")[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("moves each image on from a provider that does not serve the model to the next one, and records the route that made it", async () => {
    hf.script("fal-ai", { kind: "status", status: 404, body: { error: "Model not supported by provider fal-ai" } }, { kind: "status", status: 404, body: { error: "Model not supported by provider fal-ai" } });
    const run = await generate(app.url, { count: 2, provider: "huggingface", model: SDXL, seed: 11 });

    expect(run.of("start")[0]).toMatchObject({ provider: "huggingface", model: SDXL });
    const messages = run.of("progress").map((progress) => progress.message);
    expect(messages.filter((message) => message === "fal-ai: model not supported, trying nscale")).toHaveLength(2);
    const images = run.of("image");
    expect(images).toHaveLength(2);
    for (const image of images) expect(image).toMatchObject({ provider: "huggingface", model: SDXL, route: "nscale", sourceWidth: 1024, sourceHeight: 1024 });
    expect(run.of("done")[0]).toMatchObject({ succeeded: 2, failed: 0 });

    // The documented calls: fal's queue submit, then nscale's OpenAI-style images API through the router.
    expect(hf.of("router", "/fal-ai/fal-ai/fast-sdxl")).toHaveLength(2);
    const nscale = hf.of("router", "/nscale/v1/images/generations");
    expect(nscale).toHaveLength(2);
    for (const request of nscale) {
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
      // nscale's OpenAI-compatible API reads the size as `size` only.
      expect(request.body).toMatchObject({ model: SDXL, response_format: "b64_json", size: "1024x1024" });
      expect(run.of("start")[0]!.prompts).toContain((request.body as { prompt: string }).prompt);
    }

    // The download says which route made each picture.
    const jobId = run.of("start")[0]!.jobId;
    const zip = await unzip(Buffer.from(await (await fetch(`${app.url}/api/jobs/${jobId}/download`)).arrayBuffer()));
    const manifest = JSON.parse(zip["creatives.json"]!.toString("utf8"));
    expect(manifest.model).toBe(SDXL);
    expect(manifest.images.map((image: { route: string }) => image.route)).toEqual(["nscale", "nscale"]);
    // History and reopening keep it too.
    const job = await (await fetch(`${app.url}/api/jobs/${jobId}`)).json();
    expect(job.images.map((image: { route: string }) => image.route)).toEqual(["nscale", "nscale"]);
  });

  it("follows fal's queue through several status polls and downloads the result from fal's CDN, at the format's size", async () => {
    hf.script("fal-ai", { kind: "ok", polls: 3 });
    // A story: fal answers at 4:3 unless `image_size` says otherwise (#23.1).
    const run = await generate(app.url, { count: 1, provider: "huggingface", model: SDXL, format: "story" });
    expect(run.of("image")[0]).toMatchObject({ route: "fal-ai", sourceWidth: 768, sourceHeight: 1344 });
    const submit = hf.of("router", "/fal-ai/fal-ai/fast-sdxl")[0]!;
    expect(submit.query._subdomain).toBe("queue");
    expect(submit.body).toMatchObject({ image_size: { width: 768, height: 1344 }, negative_prompt: expect.stringMatching(/watermark/) });
    const polls = hf.of("router", "/fal-ai/fal-ai/fast-sdxl/requests/").filter((request) => request.path.endsWith("/status"));
    expect(polls).toHaveLength(3);
    for (const poll of polls) expect(poll.headers.authorization).toBe(`Bearer ${TOKEN}`);
    // The result image came from the CDN's own origin, which the app does not rewrite.
    expect(hf.of("cdn", "/files/")).toHaveLength(1);
  });

  it("accepts a picture of another size than asked and fits it to the ad", async () => {
    hf.script("fal-ai", { kind: "status", status: 404, body: { error: "Model not supported by provider fal-ai" } });
    hf.script("nscale", { kind: "status", status: 404, body: { error: "Model not supported by provider nscale" } });
    hf.script("hf-inference", { kind: "ok", size: { width: 1000, height: 1000 } });
    const run = await generate(app.url, { count: 1, provider: "huggingface", model: SDXL, format: "instagram-portrait" });
    const messages = run.of("progress").map((progress) => progress.message);
    expect(messages).toContain("fal-ai: model not supported, trying nscale");
    expect(messages).toContain("nscale: model not supported, trying hf-inference");
    const image = run.of("image")[0]!;
    expect(image).toMatchObject({ route: "hf-inference", sourceWidth: 1000, sourceHeight: 1000 });
    // The marketer is told the picture was cropped, and by how much (#24).
    expect(image.warnings).toEqual(["Hugging Face (hf-inference) sent a 1000×1000 picture for a 896×1152 request: the ad is cropped from it, leaving out 22% of the picture."]);
    const ad = Buffer.from(await (await fetch(app.url + image.url)).arrayBuffer());
    expect(await sharp(ad).metadata()).toMatchObject({ width: 1080, height: 1350 });
    const request = hf.of("router", `/hf-inference/models/${SDXL}`)[0]!;
    expect(request.body).toMatchObject({ parameters: { width: 896, height: 1152 } });
  });

  it("makes pictures through replicate's predictions API, and moves on to together when replicate keeps failing", async () => {
    // FLUX on Replicate reads the aspect ratio; the wait ends before the picture, so the prediction is followed (#23.1).
    hf.script("replicate", { kind: "ok", polls: 2 });
    const first = await generate(app.url, { count: 1, provider: "huggingface", model: SCHNELL, format: "story" });
    expect(first.of("error")).toEqual([]);
    expect(first.of("image")[0]).toMatchObject({ route: "replicate", model: SCHNELL, sourceWidth: 768, sourceHeight: 1360 });
    const prediction = hf.of("router", "/replicate/v1/models/black-forest-labs/flux-schnell/predictions")[0]!;
    expect(prediction.headers.prefer).toBe("wait");
    expect(prediction.body).toMatchObject({ input: { aspect_ratio: "9:16" } });
    const followed = hf.of("router", "/replicate/v1/predictions/");
    expect(followed.map((request) => request.method)).toEqual(["GET", "GET"]);
    for (const request of followed) expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(hf.of("cdn", "/files/")).toHaveLength(1);

    hf.script("replicate", ...Array.from({ length: 3 }, () => ({ kind: "status" as const, status: 500, body: { detail: "Internal server error" } })));
    const second = await generate(app.url, { count: 1, provider: "huggingface", model: SCHNELL });
    expect(second.of("progress").some((progress) => progress.message === "replicate: failed, trying together")).toBe(true);
    expect(second.of("image")[0]).toMatchObject({ route: "together" });
    expect(hf.of("router", "/together/v1/images/generations")[0]!.body).toMatchObject({ model: "black-forest-labs/FLUX.1-schnell-Free", response_format: "base64", width: 1024, height: 1024 });
  });

  it("stops the whole run at the first 402: the account is out of credit for every provider behind the router (#23.2)", async () => {
    const outOfCredit = { kind: "status" as const, status: 402, body: { error: "You have exceeded your monthly included credits for Inference Providers. Subscribe to PRO to get 20x more monthly included credits." } };
    // The three images ask at once (GENERATION_CONCURRENCY): each of the calls in flight gets the 402.
    hf.script("fal-ai", outOfCredit, outOfCredit, outOfCredit);
    const run = await generate(app.url, { count: 3, provider: "huggingface", model: SDXL });
    expect(run.of("image")).toEqual([]);
    const errors = run.of("error");
    expect(errors).toHaveLength(3);
    for (const error of errors) {
      // Retry stays offered: it works once credit is added.
      expect(error).toMatchObject({ code: "payment_required", retryable: true });
      expect(error.message).toMatch(/^Your Hugging Face account is out of credit for Inference Providers \(HTTP 402 from Hugging Face via fal-ai: You have exceeded your monthly included credits/);
      expect(error.message).toContain("huggingface.co/settings/billing");
    }
    // No other provider was asked, and no image asked twice.
    expect(hf.of("router").filter((request) => request.method === "POST").map((request) => request.path)).toEqual(Array.from({ length: 3 }, () => "/fal-ai/fal-ai/fast-sdxl"));
    expect(run.of("progress").some((progress) => /trying/.test(progress.message))).toBe(false);
  });

  it("bills an organization with HF_BILL_TO: every call says so, and its 402 names the organization", async () => {
    const billed = await startApp(appEnv({ HF_TOKEN: TOKEN, HF_BILL_TO: "acme-marketing" }));
    try {
      const run = await generate(billed.url, { count: 1, provider: "huggingface", model: SDXL });
      expect(run.of("image")).toHaveLength(1);
      const calls = hf.of("router").filter((request) => request.method === "POST");
      expect(calls.length).toBeGreaterThan(0);
      for (const call of calls) expect(call.headers["x-hf-bill-to"]).toBe("acme-marketing");
      hf.script("fal-ai", { kind: "status", status: 402, body: { error: "Organization acme-marketing has no credits left" } });
      const broke = await generate(billed.url, { count: 1, provider: "huggingface", model: SDXL });
      expect(broke.of("error")[0]!.message).toMatch(/^The acme-marketing organization \(HF_BILL_TO\) is out of credit for Inference Providers .*huggingface\.co\/organizations\/acme-marketing\/settings\/billing/);
      expect(billed.outboundAttempts()).toEqual([]);
    } finally {
      await billed.stop();
    }
  });

  it("refuses a model nobody serves, or one not offered, with a clear 400 before any provider call", async () => {
    for (const model of [QWEN, "someone/not-offered"]) {
      const response = await fetch(`${app.url}/api/generate-images`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...BRIEF, count: 1, provider: "huggingface", model }),
      });
      expect(response.status).toBe(400);
      const body = await response.json();
      expect(body.error).toContain(model);
      expect(body.issues[0].path).toBe("model");
    }
    expect(hf.of("router")).toHaveLength(0);
  });
});

describe("Hugging Face with a revoked token", () => {
  it("shows why the token check failed", async () => {
    const response = await fetch(`${revokedApp.url}/api/providers/huggingface/check`, { method: "POST" });
    const text = await response.text();
    expect(text).not.toContain(REVOKED);
    expect(JSON.parse(text).provider.account).toMatchObject({ ok: false, message: expect.stringMatching(/refused HF_TOKEN \(401\)/) });
  });

  it("refuses the run before any provider call, saying the token was refused, and lists the models as unavailable with that reason", async () => {
    const response = await fetch(`${revokedApp.url}/api/generate-images`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...BRIEF, count: 2, provider: "huggingface", model: SDXL }),
    });
    expect(response.status).toBe(502);
    const text = await response.text();
    expect(text).not.toContain(REVOKED);
    expect(JSON.parse(text).error).toMatch(/refused HF_TOKEN \(401\)/);
    expect(hf.of("router")).toHaveLength(0);

    const { body } = await providers(revokedApp);
    const huggingface = body.providers.find((provider) => provider.id === "huggingface")!;
    for (const model of huggingface.models) expect(model).toMatchObject({ available: false, reason: expect.stringMatching(/refused HF_TOKEN \(401\)/) });
    expect(revokedApp.logs()).not.toContain(REVOKED);
  });
});

describe("Hugging Face with a token that may not call Inference Providers, and HF_PROVIDER pinned", () => {
  it("says who is signed in and which permission is missing", async () => {
    const body = await (await fetch(`${readOnlyApp.url}/api/providers/huggingface/check`, { method: "POST" })).json();
    expect(body.provider.account.ok).toBe(false);
    expect(body.provider.account.message).toMatch(/^Signed in as grace-hopper, but this token may not call Inference Providers: .*Make calls to Inference Providers/);
  });

  it("offers only what the pinned provider serves, and says how to widen it", async () => {
    const { body } = await providers(readOnlyApp);
    const huggingface = body.providers.find((provider) => provider.id === "huggingface")!;
    expect(huggingface.model).toBe(SCHNELL);
    expect(huggingface.models[0]).toMatchObject({ id: SDXL, available: false });
    expect(huggingface.models[0]!.reason).toMatch(/replicate \(HF_PROVIDER\) does not serve .*set HF_PROVIDER=auto/);
    expect(huggingface.models[1]).toMatchObject({ id: SCHNELL, available: true, routes: ["replicate"] });
  });

  it("fails each image at once when the router refuses the token (403), naming HF_TOKEN", async () => {
    const run = await generate(readOnlyApp.url, { count: 2, provider: "huggingface", model: SCHNELL });
    const errors = run.of("error");
    expect(errors).toHaveLength(2);
    for (const error of errors) expect(error).toMatchObject({ code: "auth", retryable: false, message: expect.stringMatching(/HTTP 403.*HF_TOKEN/) });
    expect(hf.of("router")).toHaveLength(2);
    expect(readOnlyApp.logs()).not.toContain(READ_ONLY);
  });
});

describe("Pollinations with a key (gen.pollinations.ai)", () => {
  it("offers the image models of /image/models (video models left out), flux first", async () => {
    const { body } = await providers(app);
    const option = body.providers.find((provider) => provider.id === "pollinations")!;
    expect(option.label).toBe("Pollinations");
    expect(option.model).toBe("flux");
    expect(option.models.map((model) => model.id)).toEqual(["flux", "turbo", "gptimage"]);
  });

  it("sends the documented request: Bearer key, the prompt in the path, model, size, seed, negative prompt, nologo, private", async () => {
    const run = await generate(app.url, { count: 2, provider: "pollinations", model: "turbo", format: "link", seed: 5 });
    expect(run.of("image").map((image) => image.route)).toEqual(["gen", "gen"]);
    const calls = pollinations.of("gen", "/image/").filter((request) => request.path !== "/image/models");
    expect(calls).toHaveLength(2);
    const prompts = run.of("start")[0]!.prompts;
    for (const call of calls) {
      expect(call.headers.authorization).toBe(`Bearer ${POLLEN_KEY}`);
      expect(prompts).toContain(decodeURIComponent(call.path.slice("/image/".length)));
      expect(call.query).toMatchObject({ model: "turbo", width: "1216", height: "640", nologo: "true", private: "true" });
      expect(call.query.negative_prompt).toMatch(/watermark/);
      expect(Number.isInteger(Number(call.query.seed))).toBe(true);
    }
    expect(pollinations.of("legacy")).toHaveLength(0);
  });

  it("says the key was rejected on 401, and refuses a video model before any call", async () => {
    pollinations.script("gen", { kind: "status", status: 401 });
    const run = await generate(app.url, { count: 1, provider: "pollinations" });
    expect(run.of("error")[0]).toMatchObject({ code: "auth", message: "Pollinations rejected the key: check POLLINATIONS_TOKEN (create one at enter.pollinations.ai)." });

    const response = await fetch(`${app.url}/api/generate-images`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...BRIEF, count: 1, provider: "pollinations", model: "veo" }),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/does not offer veo/);
  });
});

describe("Pollinations with a publishable pk_ key", () => {
  it("warns at start and where the provider is chosen that a browser key is on the server", async () => {
    const browserKeyed = await startApp(appEnv({ POLLINATIONS_TOKEN: "pk_browserKey0123456789" }));
    try {
      const { body } = await providers(browserKeyed);
      expect((body.providers.find((provider) => provider.id === "pollinations") as { warning?: string }).warning).toBe("POLLINATIONS_TOKEN is a publishable pk_ key, meant for browsers and rate-limited as one. On a server use a secret sk_ key from enter.pollinations.ai.");
      expect(browserKeyed.logs()).toContain("[startup] POLLINATIONS_TOKEN is a publishable pk_ key");
      // A secret key is no cause for a warning.
      const keyed = (await providers(app)).body.providers.find((provider) => provider.id === "pollinations") as { warning?: string };
      expect(keyed.warning).toBeUndefined();
    } finally {
      await browserKeyed.stop();
    }
  });
});

describe("Pollinations without a key (the free endpoint)", () => {
  it("is labelled honestly and makes one request at a time, waiting out a queue-full 402", async () => {
    const { body } = await providers(revokedApp);
    const free = body.providers.find((provider) => provider.id === "pollinations")!;
    expect(free.label).toBe("Pollinations (free, no key: one image at a time)");
    // Said where it is chosen: the free host's state, and the free key that avoids it (#23.4).
    expect((free as { warning?: string }).warning).toMatch(/maintenance mode .* counts its CDN's address, not this server's.*secret key \(sk_…\) from enter\.pollinations\.ai.*POLLINATIONS_TOKEN/);

    pollinations.script("legacy", { kind: "queue-full" });
    const run = await generate(revokedApp.url, { count: 3, provider: "pollinations", seed: 9 });
    expect(run.of("done")[0]).toMatchObject({ succeeded: 3, failed: 0 });
    expect(run.of("image").map((image) => image.route)).toEqual(["legacy", "legacy", "legacy"]);
    expect(pollinations.maxConcurrentLegacy()).toBe(1);
    const retry = run.of("progress").find((progress) => progress.status === "retrying")!;
    expect(retry.message).toMatch(/rate limited/i);
    const calls = pollinations.of("legacy", "/prompt/");
    expect(calls).toHaveLength(4);
    for (const call of calls) {
      expect(call.headers.authorization).toBeUndefined();
      expect(call.query).toMatchObject({ model: "flux", width: "1024", height: "1024", nologo: "true", private: "true" });
    }
    expect(pollinations.of("gen")).toHaveLength(0);
  });

  it("detects the placeholder picture sent in place of a creative and never shows it", async () => {
    pollinations.script("legacy", { kind: "placeholder" });
    const run = await generate(revokedApp.url, { count: 1, provider: "pollinations" });
    const retry = run.of("progress").find((progress) => progress.status === "retrying")!;
    expect(retry.message).toMatch(/rate limited/i);
    const image = run.of("image")[0]!;
    expect(image).toMatchObject({ sourceWidth: 1024, sourceHeight: 1024 });
    const raw = Buffer.from(await (await fetch(revokedApp.url + image.rawUrl)).arrayBuffer());
    expect(await sharp(raw).metadata()).toMatchObject({ width: 1024, height: 1024 });
    expect(pollinations.of("legacy", "/prompt/")).toHaveLength(2);
  });
});

describe("failures have a way out", () => {
  it("retries a failed image with another provider and model than the job's, and the job goes on with them", async () => {
    hf.script("fal-ai", { kind: "status", status: 402 });
    hf.script("nscale", { kind: "status", status: 402 });
    hf.script("hf-inference", { kind: "status", status: 402 });
    const run = await generate(app.url, { count: 1, provider: "huggingface", model: SDXL });
    expect(run.of("error")[0]).toMatchObject({ code: "payment_required" });
    const jobId = run.of("start")[0]!.jobId;

    const retry = await postSse(`${app.url}/api/jobs/${jobId}/images`, { action: "retry", index: 0, provider: "pollinations", model: "turbo" });
    expect(retry.status).toBe(200);
    const messages = await collectSse(retry);
    const start = messages.find((message) => "event" in message && message.event === "start");
    expect(sseJson(start as SseMessage)).toMatchObject({ provider: "pollinations", model: "turbo" });
    const image = messages.find((message) => "event" in message && message.event === "image");
    expect(sseJson(image as SseMessage)).toMatchObject({ provider: "pollinations", model: "turbo", route: "gen" });
    expect(await (await fetch(`${app.url}/api/jobs/${jobId}`)).json()).toMatchObject({ provider: "pollinations", model: "turbo", images: [{ status: "done" }] });
  });

  it("says a provider cannot be reached before the run, not after a batch of failures", async () => {
    const { body } = await providers(offlineApp);
    const pollinationsOption = body.providers.find((provider) => provider.id === "pollinations")!;
    expect(pollinationsOption).toMatchObject({ available: false, reason: expect.stringMatching(/^Could not reach Pollinations: nothing answered at its address/) });
    const huggingface = body.providers.find((provider) => provider.id === "huggingface")!;
    expect(huggingface.models[0]!.reason).toMatch(/Could not ask the Hugging Face Hub which providers serve .*: nothing answered at its address/);

    for (const provider of ["pollinations", "huggingface"]) {
      const response = await fetch(`${offlineApp.url}/api/generate-images`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...BRIEF, count: 4, provider }),
      });
      expect([400, 502]).toContain(response.status);
      expect(response.headers.get("content-type")).toMatch(/application\/json/);
      expect((await response.json()).error).toMatch(/Could not (reach Pollinations|ask the Hugging Face Hub)/);
    }
  });
});
