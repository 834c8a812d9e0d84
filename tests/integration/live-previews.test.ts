import sharp from "sharp";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { freePort, makeTempDir, removeDir, startApp, type AppServer } from "../support/app-server";
import { startAutomatic1111StandIn, type A1111StandIn } from "../support/fakes/automatic1111";
import { startFalStandIn, type FalStandIn } from "../support/fakes/fal";
import { startOpenAiStandIn, type OpenAiStandIn } from "../support/fakes/openai";
import { BRIEF, generate } from "../support/generation-client";
import { postSse, readAllMessages, readMessagesUntil, sseJson, type SseMessage } from "../support/sse-client";

/**
 * Live previews over the real app (`next start`) and the three providers that make them: OpenAI's
 * streamed partial images, fal's queue and an AUTOMATIC1111 server, each a stand-in on 127.0.0.1.
 */

const OPENAI_KEY = "sk-proj-standInKey0123456789";
const FAL_KEY = "fal-standin-key:0123456789abcdef";

let a1111: A1111StandIn;
let openai: OpenAiStandIn;
let fal: FalStandIn;
let app: AppServer;
let bare: AppServer;
const dataDirs: string[] = [];

function dataDir(): string {
  const dir = makeTempDir("acg-previews-");
  dataDirs.push(dir);
  return dir;
}

interface Preview {
  index: number;
  url: string;
  kind: "raw" | "partial";
  step?: number;
  steps?: number;
  unit?: string;
  etaMs?: number;
}

beforeAll(async () => {
  [a1111, openai, fal] = await Promise.all([startAutomatic1111StandIn({ stepMs: 60 }), startOpenAiStandIn({ keys: [OPENAI_KEY], latencyMs: 900 }), startFalStandIn({ keys: [FAL_KEY] })]);
  // Pollinations is listed with the others; nothing listens here, so its probe stays on loopback.
  const closed = `http://127.0.0.1:${await freePort()}`;
  const offline = { POLLINATIONS_BASE_URL: closed, POLLINATIONS_LEGACY_URL: closed };
  [app, bare] = await Promise.all([
    startApp({
      ...offline,
      LOCAL_SD_URL: a1111.url,
      LOCAL_SD_STEPS: "12",
      OPENAI_API_KEY: OPENAI_KEY,
      OPENAI_BASE_URL: openai.baseUrl,
      OPENAI_PARTIAL_IMAGES: "3",
      FAL_KEY,
      FAL_QUEUE_URL: fal.url,
      DATA_DIR: dataDir(),
      GENERATION_TIMEOUT_MS: "20000",
      JOB_ORPHAN_GRACE_MS: "20000",
    }),
    startApp({ ...offline, DATA_DIR: dataDir() }),
  ]);
});

afterAll(async () => {
  await Promise.all([app?.stop(), bare?.stop()]);
  await Promise.all([a1111?.close(), openai?.close(), fal?.close()]);
  for (const dir of dataDirs) removeDir(dir);
});

beforeEach(async () => {
  a1111.reset();
  openai.reset();
  fal.reset();
  a1111.control({ stepMs: 60 });
});

afterEach(() => {
  expect(app.outboundAttempts()).toEqual([]);
  expect(bare.outboundAttempts()).toEqual([]);
});

const previewsOf = (messages: SseMessage[]) => messages.filter((m) => m.event === "preview").map((m) => sseJson<Preview>(m));

async function decodes(url: string): Promise<{ width: number; height: number }> {
  const bytes = url.startsWith("data:") ? Buffer.from(url.slice(url.indexOf(",") + 1), "base64") : Buffer.from(await (await fetch(`${app.url}${url}`)).arrayBuffer());
  const meta = await sharp(bytes).metadata();
  expect(meta.format).toBe("webp");
  return { width: meta.width!, height: meta.height! };
}

describe("the preview event", () => {
  it("shows each slot forming (steps from the GPU server), then the raw picture, then the ad; previews carry no id and are never replayed", async () => {
    // 12 steps of 150 ms, polled every 500 ms: three or four step previews per image.
    a1111.control({ stepMs: 150 });
    const run = await generate(app.url, { provider: "local", count: 2 });
    expect(run.of("error")).toEqual([]);
    const images = run.of("image");
    expect(images).toHaveLength(2);

    for (const index of [0, 1]) {
      const slot = run.messages.filter((m) => (m.event === "preview" || m.event === "image") && sseJson<{ index: number }>(m).index === index);
      const kinds = slot.map((m) => (m.event === "image" ? "image" : sseJson<Preview>(m).kind));
      // Steps as the picture forms, then the raw picture, then the ad: never a preview after its image.
      expect(kinds.at(-1)).toBe("image");
      expect(kinds.at(-2)).toBe("raw");
      expect(kinds.filter((kind) => kind === "partial").length).toBeGreaterThanOrEqual(2);
      expect(kinds.indexOf("raw")).toBeGreaterThan(kinds.lastIndexOf("partial"));
      const steps = previewsOf(slot).filter((p) => p.kind === "partial").map((p) => p.step!);
      expect(steps).toEqual([...steps].sort((a, b) => a - b));
      expect(new Set(steps).size).toBe(steps.length);
      for (const preview of previewsOf(slot).filter((p) => p.kind === "partial")) {
        expect(preview).toMatchObject({ steps: 12, unit: "step" });
        expect(preview.etaMs).toBeGreaterThanOrEqual(0);
      }
    }
    // Transient: no id on any preview, and the ids of everything else still count up one by one.
    for (const message of run.messages) {
      if (message.event === "preview") expect(message.id).toBeUndefined();
      else expect(message.id).toMatch(/^\d+$/);
    }
    const ids = run.messages.filter((m) => m.event !== "preview").map((m) => Number(m.id));
    expect(ids).toEqual(ids.map((_, i) => ids[0]! + i));
    // Every preview is a small WebP that decodes (inline or served for a few minutes).
    for (const preview of previewsOf(run.messages)) {
      const size = await decodes(preview.url);
      expect(Math.max(size.width, size.height)).toBeLessThanOrEqual(640);
    }
    // The log holds no previews: replay is the same events with the same ids, minus previews.
    const replay = await readAllMessages(await fetch(`${app.url}/api/jobs/${run.of("start")[0]!.jobId}/events`, { headers: { accept: "text/event-stream" } }));
    expect(previewsOf(replay)).toEqual([]);
    expect(replay.map((m) => `${m.id}|${m.event}|${m.data}`)).toEqual(run.messages.filter((m) => m.event !== "preview").map((m) => `${m.id}|${m.event}|${m.data}`));
  });

  it("sends the raw picture before compositing for a provider that streams nothing (fal)", async () => {
    const run = await generate(app.url, { provider: "fal", count: 2 });
    expect(run.of("image")).toHaveLength(2);
    for (const image of run.of("image")) {
      const previews = previewsOf(run.messages).filter((p) => p.index === image.index);
      expect(previews.map((p) => p.kind)).toEqual(["raw"]);
      const rawAt = run.messages.findIndex((m) => m.event === "preview" && sseJson<Preview>(m).index === image.index);
      const imageAt = run.messages.findIndex((m) => m.event === "image" && sseJson<{ index: number }>(m).index === image.index);
      expect(rawAt).toBeLessThan(imageAt);
      expect(sseJson<{ providerDoneAt: number }>(run.messages[rawAt]!).providerDoneAt).toBe(image.providerDoneAt);
    }
  });

  it("skips a corrupt step preview and still lands the image", async () => {
    a1111.control({ corruptPreviewSteps: [3, 4, 5, 6, 7] });
    const run = await generate(app.url, { provider: "local", count: 1 });
    expect(run.of("error")).toEqual([]);
    expect(run.of("image")).toHaveLength(1);
    for (const preview of previewsOf(run.messages)) await decodes(preview.url);
    const steps = previewsOf(run.messages).filter((p) => p.kind === "partial").map((p) => p.step!);
    expect(steps.some((step) => step >= 3 && step <= 7)).toBe(false);

    openai.control({ corruptPartials: [0] });
    const streamed = await generate(app.url, { provider: "openai", count: 1 });
    expect(streamed.of("error")).toEqual([]);
    expect(streamed.of("image")).toHaveLength(1);
    const drafts = previewsOf(streamed.messages).filter((p) => p.kind === "partial");
    expect(drafts.map((p) => p.step)).not.toContain(1);
    expect(drafts.length).toBeGreaterThanOrEqual(1);
  });

  it("a dropped stream resumes with exact ids while previews keep coming", async () => {
    a1111.control({ stepMs: 120 });
    const controller = new AbortController();
    const response = await postSse(`${app.url}/api/generate-images`, { ...BRIEF, provider: "local", count: 2 }, { signal: controller.signal });
    const first = await readMessagesUntil(response, controller, (messages) => previewsOf(messages).length >= 2);
    const jobId = sseJson<{ jobId: string }>(first.find((m) => m.event === "start")!).jobId;
    const lastId = first.filter((m) => m.id).at(-1)!.id!;
    const rest = await readAllMessages(await fetch(`${app.url}/api/jobs/${jobId}/events`, { headers: { accept: "text/event-stream", "last-event-id": lastId } }));

    // Previews continue on the new connection...
    expect(previewsOf(rest).length).toBeGreaterThan(0);
    // ...and the logged events of both connections are the log exactly: no gap, no repeat.
    const log = await readAllMessages(await fetch(`${app.url}/api/jobs/${jobId}/events`, { headers: { accept: "text/event-stream" } }));
    const seen = [...first, ...rest].filter((m) => m.event !== "preview").map((m) => `${m.id}|${m.event}|${m.data}`);
    expect(seen).toEqual(log.map((m) => `${m.id}|${m.event}|${m.data}`));
    expect(log.filter((m) => m.event === "image")).toHaveLength(2);
  });
});

describe("the three providers", () => {
  it("OpenAI: streams partial images as drafts through the official SDK, at a size the model accepts", async () => {
    const run = await generate(app.url, { provider: "openai", count: 1, format: "story" });
    expect(run.of("error")).toEqual([]);
    const drafts = previewsOf(run.messages).filter((p) => p.kind === "partial");
    expect(drafts.length).toBeGreaterThanOrEqual(1);
    for (const draft of drafts) expect(draft).toMatchObject({ unit: "draft", steps: 3 });
    const [image] = run.of("image");
    expect(image).toMatchObject({ provider: "openai", model: "gpt-image-2", route: "images-api", width: 1080, height: 1920 });
    const [call] = openai.requests.filter((r) => r.path === "/v1/images/generations");
    expect(call!.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
    expect(call!.body).toMatchObject({ model: "gpt-image-2", stream: true, partial_images: 3, size: "768x1344", n: 1 });
  });

  it("OpenAI: says beside the creative what it was asked and did not do (no seed; the negative prompt put into the prompt), and an edit keeps saying it (#24)", async () => {
    const run = await generate(app.url, { provider: "openai", count: 1 });
    expect(run.of("error")).toEqual([]);
    const jobId = run.of("start")[0]!.jobId as string;
    const image = run.of("image")[0]!;
    expect(image.warnings).toEqual([
      "OpenAI's image models take no seed: running the same set again makes other pictures.",
      "OpenAI's image models take no negative prompt: what to avoid was written into the prompt instead.",
    ]);
    const [call] = openai.requests.filter((r) => r.path === "/v1/images/generations");
    expect((call!.body as { prompt: string; seed?: number }).prompt).toMatch(/\n\nAvoid: .+\.$/);
    expect(call!.body).not.toHaveProperty("seed");

    // A new headline re-composites the same picture: what the provider did not do still holds.
    const edited = await fetch(`${app.url}/api/jobs/${jobId}/design`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ design: { headline: "Cold brew, warm mornings" } }) });
    expect(edited.status).toBe(200);
    const { images } = (await edited.json()) as { images: { warnings?: string[] }[] };
    expect(images[0]!.warnings).toEqual(image.warnings);
    const job = (await (await fetch(`${app.url}/api/jobs/${jobId}`)).json()) as { images: { warnings?: string[] }[] };
    expect(job.images[0]!.warnings).toEqual(image.warnings);
  });

  it("the built-in renderer asks nothing it cannot do: its creatives carry no provider notes", async () => {
    const run = await generate(app.url, { provider: "builtin", count: 1 });
    expect(run.of("image")[0]).not.toHaveProperty("warnings");
  });

  it("OpenAI: offers the models the SDK lists as current, not the shut-down gpt-image-1, and asks each for a size it takes (#23.3)", async () => {
    const listed = (await (await fetch(`${app.url}/api/providers`)).json()) as { providers: { id: string; model: string; models: { id: string }[] }[] };
    const openAi = listed.providers.find((provider) => provider.id === "openai")!;
    expect(openAi.model).toBe("gpt-image-2");
    expect(openAi.models.map((model) => model.id)).toEqual(["gpt-image-2", "gpt-image-2.5-flare", "gpt-image-2.5-sunburst", "gpt-image-2.6-flare", "gpt-image-2.6-sunburst", "gpt-image-1.5", "gpt-image-1-mini", "chatgpt-image-latest"]);
    const refused = await fetch(`${app.url}/api/generate-images`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...BRIEF, provider: "openai", model: "gpt-image-1", count: 1 }) });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { issues: { path: string }[] }).issues[0]!.path).toBe("model");

    const flare = await generate(app.url, { provider: "openai", model: "gpt-image-2.5-flare", count: 1, format: "story" });
    expect(flare.of("image")[0]).toMatchObject({ model: "gpt-image-2.5-flare", sourceWidth: 768, sourceHeight: 1344 });
    const standard = await generate(app.url, { provider: "openai", model: "gpt-image-2.6-flare", count: 1, format: "story" });
    expect(standard.of("image")[0]).toMatchObject({ model: "gpt-image-2.6-flare", sourceWidth: 1024, sourceHeight: 1536 });
    expect(openai.requests.filter((r) => r.path === "/v1/images/generations").map((r) => (r.body as { size: string }).size)).toEqual(["768x1344", "1024x1536"]);
  });

  it("OpenAI: a refused prompt and a spent quota are said plainly, without retries", async () => {
    openai.control({ failNext: { status: 400, code: "moderation_blocked", message: "Your request was rejected by the safety system." } });
    const blocked = await generate(app.url, { provider: "openai", count: 1 });
    expect(blocked.of("error")[0]).toMatchObject({ code: "bad_request" });
    expect(blocked.of("error")[0]!.message).toMatch(/safety system refused/);
    openai.control({ failNext: { status: 429, code: "insufficient_quota", message: "You exceeded your current quota." } });
    const spent = await generate(app.url, { provider: "openai", count: 1 });
    expect(spent.of("error")[0]).toMatchObject({ code: "payment_required" });
    expect(openai.requests.filter((r) => r.path === "/v1/images/generations")).toHaveLength(2);
  });

  it("OpenAI: a moderation refusal that arrives mid-stream fails the image at once with OpenAI's words, never retried (#23.3)", async () => {
    openai.control({ refuseInStream: "Your request was rejected as a result of our safety system. Your prompt may contain text that is not allowed." });
    const refused = await generate(app.url, { provider: "openai", count: 1 });
    expect(refused.of("image")).toEqual([]);
    const [error] = refused.of("error");
    expect(error).toMatchObject({ code: "bad_request", retryable: false });
    expect(error!.message).toBe("OpenAI's safety system refused this prompt: Your request was rejected as a result of our safety system. Your prompt may contain text that is not allowed. Change the brief's wording and try again.");
    expect(refused.of("progress").some((progress) => progress.status === "retrying")).toBe(false);
    expect(openai.requests.filter((r) => r.path === "/v1/images/generations")).toHaveLength(1);
  });

  it("fal: queue position and logs become progress messages; the result is downloaded and verified", async () => {
    fal.control({ queueAhead: 2, queueStepMs: 700, runMs: 1200 });
    const run = await generate(app.url, { provider: "fal", count: 1, format: "link" });
    expect(run.of("error")).toEqual([]);
    const messages = run.of("progress").map((p) => p.message);
    expect(messages).toContain("In queue, 2 ahead");
    expect(messages).toContain("In queue, 1 ahead");
    expect(messages).toContain("Generating on fal");
    expect(messages.some((m) => m.startsWith("fal: "))).toBe(true);
    const [image] = run.of("image");
    expect(image).toMatchObject({ provider: "fal", model: "fal-ai/flux/schnell", route: "fal-queue", sourceWidth: 1216, sourceHeight: 640 });
    const submit = fal.requests.find((r) => r.method === "POST" && r.path === "/fal-ai/flux/schnell")!;
    expect(submit.headers.authorization).toBe(`Key ${FAL_KEY}`);
    expect(submit.body).toMatchObject({ image_size: { width: 1216, height: 640 }, num_images: 1 });
    expect(fal.requests.some((r) => r.path.startsWith("/files/"))).toBe(true);
  });

  it("fal: a request no machine starts within FAL_START_TIMEOUT_S is dropped by fal, and the slot says why (#23.6)", async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const impatient = await startApp({ POLLINATIONS_BASE_URL: closed, POLLINATIONS_LEGACY_URL: closed, FAL_KEY, FAL_QUEUE_URL: fal.url, FAL_START_TIMEOUT_S: "2", DATA_DIR: dataDir() });
    try {
      // Ten ahead, 400 ms each: still queued when the two-second deadline passes.
      fal.control({ queueAhead: 10, queueStepMs: 400 });
      const run = await generate(impatient.url, { provider: "fal", count: 1 });
      const submit = fal.requests.find((r) => r.method === "POST" && r.path === "/fal-ai/flux/schnell")!;
      expect(submit.headers["x-fal-request-timeout"]).toBe("2");
      expect(run.of("progress").map((p) => p.message)).toContain("In queue, 10 ahead");
      const [error] = run.of("error");
      expect(error).toMatchObject({ code: "timeout" });
      expect(error!.message).toBe("fal found no free machine for this model within 2 s (FAL_START_TIMEOUT_S), so it dropped the request unbilled. Retry, or choose a model fal keeps warm (fal-ai/flux/schnell is).");
      expect(impatient.outboundAttempts()).toEqual([]);
    } finally {
      await impatient.stop();
    }
  });

  it("fal: a picture its safety checker flags is refused with the reason", async () => {
    fal.control({ nsfw: true });
    const run = await generate(app.url, { provider: "fal", count: 1 });
    expect(run.of("error")[0]).toMatchObject({ code: "bad_request" });
    expect(run.of("error")[0]!.message).toMatch(/safety checker/);
  });

  it("Stop reaches fal's cancel and the GPU server's interrupt", async () => {
    fal.control({ queueAhead: 5, queueStepMs: 2000 });
    const falRun = new AbortController();
    const falResponse = await postSse(`${app.url}/api/generate-images`, { ...BRIEF, provider: "fal", count: 2 }, { signal: falRun.signal });
    const falSeen = await readMessagesUntil(falResponse, falRun, (messages) => messages.filter((m) => m.event === "progress" && sseJson<{ message: string }>(m).message.startsWith("In queue")).length >= 2);
    const falJob = sseJson<{ jobId: string }>(falSeen.find((m) => m.event === "start")!).jobId;
    expect((await fetch(`${app.url}/api/jobs/${falJob}/cancel`, { method: "POST" })).status).toBe(200);
    await expect.poll(() => fal.cancelled().length, { timeout: 10_000 }).toBe(2);
    expect(fal.requests.filter((r) => r.method === "PUT" && r.path.endsWith("/cancel"))).toHaveLength(2);

    a1111.control({ stepMs: 400 });
    const sdRun = new AbortController();
    const sdResponse = await postSse(`${app.url}/api/generate-images`, { ...BRIEF, provider: "local", count: 1 }, { signal: sdRun.signal });
    const sdSeen = await readMessagesUntil(sdResponse, sdRun, (messages) => previewsOf(messages).length >= 1);
    const sdJob = sseJson<{ jobId: string }>(sdSeen.find((m) => m.event === "start")!).jobId;
    expect((await fetch(`${app.url}/api/jobs/${sdJob}/cancel`, { method: "POST" })).status).toBe(200);
    await expect.poll(() => a1111.of("/sdapi/v1/interrupt").length, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => a1111.interruptedJobs(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => a1111.busy(), { timeout: 10_000 }).toBe(false);
  });

  it("the GPU server: its checkpoints are the models, the chosen one is sent as an override, and its errors are said", async () => {
    const listed = (await (await fetch(`${app.url}/api/providers`)).json()) as { providers: { id: string; available: boolean; models: { id: string }[] }[] };
    const local = listed.providers.find((p) => p.id === "local")!;
    expect(local.available).toBe(true);
    expect(local.models.map((m) => m.id)).toEqual(["sd_xl_base_1.0", "juggernautXL_v9"]);

    const run = await generate(app.url, { provider: "local", model: "juggernautXL_v9", count: 1 });
    expect(run.of("image")[0]).toMatchObject({ provider: "local", model: "juggernautXL_v9", route: "a1111" });
    const [call] = a1111.of("/sdapi/v1/txt2img");
    expect(call!.body).toMatchObject({ steps: 12, sampler_name: "Euler a", override_settings: { sd_model_checkpoint: "juggernautXL_v9.safetensors [c9e3e68f89]" } });

    a1111.control({ failNext: 500 });
    const failed = await generate(app.url, { provider: "local", count: 1 });
    // A server error is retried; the next attempt succeeds.
    expect(failed.of("progress").some((p) => p.status === "retrying")).toBe(true);
    expect(a1111.of("/sdapi/v1/txt2img").length).toBe(3);
    expect(failed.of("image")).toHaveLength(1);

    const unknown = await fetch(`${app.url}/api/generate-images`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...BRIEF, provider: "local", model: "no-such-checkpoint", count: 1 }) });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: string }).error).toMatch(/no checkpoint called no-such-checkpoint/);
  });

  it("each is offered only when configured, with the variable to set", async () => {
    const listed = (await (await fetch(`${bare.url}/api/providers`)).json()) as { providers: { id: string; available: boolean; reason?: string }[] };
    const byId = Object.fromEntries(listed.providers.map((p) => [p.id, p]));
    expect(byId.openai).toMatchObject({ available: false });
    expect(byId.openai!.reason).toMatch(/OPENAI_API_KEY/);
    expect(byId.fal!.reason).toMatch(/FAL_KEY/);
    expect(byId.local!.reason).toMatch(/LOCAL_SD_URL/);
    expect(byId.comfyui!.reason).toMatch(/COMFYUI_URL/);
    for (const provider of ["openai", "fal", "local", "comfyui"]) {
      const response = await fetch(`${bare.url}/api/generate-images`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...BRIEF, provider, count: 1 }) });
      expect(response.status).toBe(400);
    }
  });

  it("keys never appear in answers or logs", async () => {
    await generate(app.url, { provider: "openai", count: 1 });
    await generate(app.url, { provider: "fal", count: 1 });
    const providers = await (await fetch(`${app.url}/api/providers`)).text();
    for (const secret of [OPENAI_KEY, FAL_KEY]) {
      expect(providers).not.toContain(secret);
      expect(app.logs()).not.toContain(secret);
    }
  });
});
