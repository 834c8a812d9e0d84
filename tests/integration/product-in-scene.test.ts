import sharp from "sharp";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { freePort, makeTempDir, removeDir, startApp, type AppServer } from "../support/app-server";
import { startFalStandIn, type FalStandIn } from "../support/fakes/fal";
import { startHuggingFaceStandIn, type HuggingFaceStandIn } from "../support/fakes/hugging-face";
import { startOpenAiStandIn, type OpenAiStandIn } from "../support/fakes/openai";
import { BRAND_DESIGN, generate } from "../support/generation-client";

/**
 * The product in the scene, over the real app (`next start`) and the stand-ins of OpenAI and of
 * Hugging Face's router: with a packshot, the picture is an edit built around it (OpenAI's
 * `images.edit` with the packshot as image and mask; FLUX.1 Kontext through Inference Providers'
 * image-to-image and on fal, the packshot on a plain backdrop), and the finished ad carries the packshot's own
 * pixels where the model redrew it, never the model's version beside or under it.
 */

const OPENAI_KEY = "sk-proj-standInKey0123456789";
const HF_TOKEN = "hf_standInToken0123456789abcdef";
const FAL_KEY = "fal-key-id:standInSecret0123456789";
const RED = { r: 214, g: 40, b: 40 };

const DESIGN = BRAND_DESIGN;

let openai: OpenAiStandIn;
let app: AppServer;
let dataDir: string;
let productId: string;

beforeAll(async () => {
  openai = await startOpenAiStandIn({ keys: [OPENAI_KEY], latencyMs: 200 });
  const closed = `http://127.0.0.1:${await freePort()}`;
  dataDir = makeTempDir("acg-product-scene-");
  app = await startApp({
    POLLINATIONS_BASE_URL: closed,
    POLLINATIONS_LEGACY_URL: closed,
    OPENAI_API_KEY: OPENAI_KEY,
    OPENAI_BASE_URL: openai.baseUrl,
    // A model with the three standard sizes only: the portrait ad (4:5) is asked for at 2:3, so
    // the packshot must be placed for the crop the compositor will make.
    OPENAI_IMAGE_MODEL: "gpt-image-1.5",
    OPENAI_PARTIAL_IMAGES: "1",
    DATA_DIR: dataDir,
  });
  productId = await uploadPackshot(app.url);
});

afterAll(async () => {
  await app?.stop();
  await openai?.close();
  if (dataDir) removeDir(dataDir);
});

beforeEach(() => openai.reset());
afterEach(() => expect(app.outboundAttempts()).toEqual([]));

/** A red bottle-shaped packshot on white, uploaded: the app keys it out to a transparent cut-out. */
async function uploadPackshot(appUrl: string): Promise<string> {
  const packshot = await sharp({ create: { width: 600, height: 600, channels: 3, background: "#ffffff" } })
    .composite([{ input: await sharp({ create: { width: 180, height: 380, channels: 3, background: RED } }).png().toBuffer(), left: 210, top: 110 }])
    .jpeg({ quality: 95 })
    .toBuffer();
  const uploaded = await fetch(`${appUrl}/api/products`, { method: "POST", headers: { "content-type": "application/octet-stream" }, body: new Uint8Array(packshot) });
  expect(uploaded.status).toBe(201);
  return ((await uploaded.json()) as { productId: string }).productId;
}

/** The ads show the packshot's own red, and next to none of the model's drifted version around it. */
async function expectOriginalProduct(appUrl: string, images: { url: string; layout?: string | null }[]): Promise<void> {
  const drifted = (await sharp({ create: { width: 1, height: 1, channels: 3, background: RED } }).modulate({ hue: 90 }).raw().toBuffer()) as Buffer;
  const modelColour = { r: drifted[0]!, g: drifted[1]!, b: drifted[2]! };
  for (const image of images) {
    const ad = Buffer.from(await (await fetch(appUrl + image.url)).arrayBuffer());
    const original = await countNear(ad, RED);
    expect(original, `${image.layout}: the packshot's red`).toBeGreaterThan(5000);
    const ghost = await countNear(ad, modelColour);
    expect(ghost / original, `${image.layout}: the model's redrawn product left around the original`).toBeLessThan(0.03);
  }
}

/** Pixels close to `colour` in a picture. */
async function countNear(bytes: Buffer, colour: { r: number; g: number; b: number }, tolerance = 40): Promise<number> {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let count = 0;
  for (let i = 0; i < data.length; i += info.channels) {
    if (Math.abs(data[i]! - colour.r) + Math.abs(data[i + 1]! - colour.g) + Math.abs(data[i + 2]! - colour.b) < tolerance) count++;
  }
  return count;
}

describe("the product in a generated scene (OpenAI images.edit)", () => {
  it("builds each layout's scene around the packshot and pastes the original back exactly where the model drew it", async () => {
    const run = await generate(app.url, { count: 2, provider: "openai", format: "instagram-portrait", variants: "layout", design: { ...DESIGN, productId } });
    const images = run.of("image");
    expect(images).toHaveLength(2);
    expect(run.of("progress").some((progress) => progress.message === "Building the scene around the product")).toBe(true);

    // One edit per layout (the product stands elsewhere in each), none a plain generation.
    const calls = openai.requests.filter((request) => request.path.startsWith("/v1/images/"));
    expect(calls.map((call) => call.path)).toEqual(["/v1/images/edits", "/v1/images/edits"]);
    for (const call of calls) {
      const body = call.body as { size: string; prompt: string; input_fidelity: string; background: string; image: { format: string; width: number; height: number; hasAlpha: boolean }; mask: { width: number; height: number } };
      expect(body.size).toBe("1024x1536");
      expect(body.image).toMatchObject({ format: "png", width: 1024, height: 1536, hasAlpha: true });
      expect(body.mask).toMatchObject({ width: 1024, height: 1536 });
      expect(body.prompt).toMatch(/^Keep the product in this image exactly as it is, in the same place and at the same size/);
      expect(body.prompt).toContain("Aurora Cold Brew");
      expect(body).toMatchObject({ input_fidelity: "high", background: "opaque" });
    }
    expect(new Set(images.map((image) => image.layout)).size).toBe(2);

    // The stand-in redraws what the mask keeps with its hue turned, as a model drifts.
    await expectOriginalProduct(app.url, images);
  });

  it("asks for a plain generation when the design has no packshot", async () => {
    const run = await generate(app.url, { count: 1, provider: "openai", design: DESIGN });
    expect(run.of("image")).toHaveLength(1);
    expect(openai.requests.filter((request) => request.path.startsWith("/v1/images/")).map((call) => call.path)).toEqual(["/v1/images/generations"]);
  });
});

describe("the product in a generated scene (Hugging Face, FLUX.1 Kontext image-to-image)", () => {
  let hf: HuggingFaceStandIn;
  let hfApp: AppServer;
  let hfDataDir: string;
  let hfProductId: string;

  beforeAll(async () => {
    hf = await startHuggingFaceStandIn({
      models: {
        "black-forest-labs/FLUX.1-schnell": [{ provider: "fal-ai", providerId: "fal-ai/flux/schnell" }],
        "black-forest-labs/FLUX.1-Kontext-dev": [{ provider: "fal-ai", providerId: "fal-ai/flux-kontext/dev", task: "image-to-image" }],
      },
      tokens: { [HF_TOKEN]: { name: "ada-lovelace", role: "fineGrained", permissions: ["inference.serverless.write"] } },
    });
    const closed = `http://127.0.0.1:${await freePort()}`;
    hfDataDir = makeTempDir("acg-product-scene-hf-");
    hfApp = await startApp({
      POLLINATIONS_BASE_URL: closed,
      POLLINATIONS_LEGACY_URL: closed,
      HF_TOKEN,
      HF_HUB_URL: hf.hubUrl,
      HF_ROUTER_URL: hf.routerUrl,
      HF_MODELS: "black-forest-labs/FLUX.1-schnell",
      DATA_DIR: hfDataDir,
    });
    hfProductId = await uploadPackshot(hfApp.url);
  });

  afterAll(async () => {
    await hfApp?.stop();
    await hf?.close();
    if (hfDataDir) removeDir(hfDataDir);
  });

  beforeEach(() => hf.reset());
  afterEach(() => expect(hfApp.outboundAttempts()).toEqual([]));

  it("asks FLUX.1 Kontext to build each layout's scene around the packshot, and keeps the packshot's own pixels", async () => {
    // One answer comes back at Kontext's own rounding of the size (a few pixels off): it is scaled to the frame it was shown.
    hf.script("fal-ai", { kind: "ok" }, { kind: "ok", size: { width: 880, height: 1136 } });
    const run = await generate(hfApp.url, { count: 2, provider: "huggingface", model: "black-forest-labs/FLUX.1-schnell", format: "instagram-portrait", variants: "layout", design: { ...DESIGN, productId: hfProductId } });
    const images = run.of("image");
    expect(images).toHaveLength(2);
    expect(run.of("progress").some((progress) => progress.message === "Building the scene around the product")).toBe(true);

    const submitted = hf.of("router", "/fal-ai/").filter((call) => call.method === "POST");
    expect(submitted.map((call) => call.path)).toEqual(["/fal-ai/fal-ai/flux-kontext/dev", "/fal-ai/fal-ai/flux-kontext/dev"]);
    for (const call of submitted) {
      const body = call.body as { prompt: string; image_url: { width: number; height: number; dataUri: boolean }; image_urls: number; resolution_mode: string };
      // The format's model size (896×1152 for the portrait), shown as a data URI, and asked to keep that frame.
      expect(body.image_url).toEqual({ width: 896, height: 1152, dataUri: true });
      expect(body.image_urls).toBe(1);
      expect(body.resolution_mode).toBe("match_input");
      expect(body.prompt).toMatch(/^Keep the product in this image exactly as it is, in the same place and at the same size/);
    }
    expect(new Set(images.map((image) => image.layout)).size).toBe(2);
    await expectOriginalProduct(hfApp.url, images);
    // The ads say which model made their scene (the editing one, not the text-to-image one asked for), and keep saying it after an edit.
    expect(images.map((image) => image.model)).toEqual(["black-forest-labs/FLUX.1-Kontext-dev", "black-forest-labs/FLUX.1-Kontext-dev"]);
    const jobId = run.of("start")[0]!.jobId;
    const edited = await fetch(`${hfApp.url}/api/jobs/${jobId}/design`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ design: { headline: "Edited" } }) });
    expect(((await edited.json()) as { images: { model: string }[] }).images.map((image) => image.model)).toEqual(["black-forest-labs/FLUX.1-Kontext-dev", "black-forest-labs/FLUX.1-Kontext-dev"]);
    const job = (await (await fetch(`${hfApp.url}/api/jobs/${jobId}`)).json()) as { model: string; images: { model: string }[] };
    expect(job.model).toBe("black-forest-labs/FLUX.1-schnell");
    expect(job.images.map((image) => image.model)).toEqual(["black-forest-labs/FLUX.1-Kontext-dev", "black-forest-labs/FLUX.1-Kontext-dev"]);
  });

  it("makes a plain text-to-image picture when the design has no packshot", async () => {
    const run = await generate(hfApp.url, { count: 1, provider: "huggingface", model: "black-forest-labs/FLUX.1-schnell", design: DESIGN });
    expect(run.of("image").map((image) => image.model)).toEqual(["black-forest-labs/FLUX.1-schnell"]);
    expect(hf.of("router", "/fal-ai/").filter((call) => call.method === "POST").map((call) => call.path)).toEqual(["/fal-ai/fal-ai/flux/schnell"]);
  });
});

describe("the product in a generated scene (fal, FLUX.1 Kontext)", () => {
  let fal: FalStandIn;
  let falApp: AppServer;
  let falDataDir: string;
  let falProductId: string;

  beforeAll(async () => {
    fal = await startFalStandIn({ keys: [FAL_KEY] });
    fal.control({ queueStepMs: 50, runMs: 100 });
    const closed = `http://127.0.0.1:${await freePort()}`;
    falDataDir = makeTempDir("acg-product-scene-fal-");
    falApp = await startApp({ POLLINATIONS_BASE_URL: closed, POLLINATIONS_LEGACY_URL: closed, FAL_KEY, FAL_QUEUE_URL: fal.url, DATA_DIR: falDataDir });
    falProductId = await uploadPackshot(falApp.url);
  });

  afterAll(async () => {
    await falApp?.stop();
    await fal?.close();
    if (falDataDir) removeDir(falDataDir);
  });

  afterEach(() => expect(falApp.outboundAttempts()).toEqual([]));

  it("submits the packshot to the Kontext edit endpoint instead of the text-to-image model, and keeps the packshot's own pixels", async () => {
    fal.reset();
    fal.control({ queueStepMs: 50, runMs: 100 });
    const run = await generate(falApp.url, { count: 2, provider: "fal", format: "story", variants: "layout", design: { ...DESIGN, productId: falProductId } });
    const images = run.of("image");
    expect(images).toHaveLength(2);
    const submitted = fal.requests.filter((call) => call.method === "POST" && !call.path.startsWith("/__"));
    expect(submitted.map((call) => call.path)).toEqual(["/fal-ai/flux-kontext/dev", "/fal-ai/flux-kontext/dev"]);
    for (const call of submitted) {
      // The story's model size (768×1344), in the frame it was shown.
      expect(call.body).toMatchObject({ image_url: { width: 768, height: 1344, dataUri: true }, resolution_mode: "match_input", prompt: expect.stringMatching(/^Keep the product in this image exactly as it is/) });
    }
    await expectOriginalProduct(falApp.url, images);
    expect(images.map((image) => image.model)).toEqual(["fal-ai/flux-kontext/dev", "fal-ai/flux-kontext/dev"]);
  });

  it("submits to the text-to-image model when the design has no packshot", async () => {
    fal.reset();
    fal.control({ queueStepMs: 50, runMs: 100 });
    const run = await generate(falApp.url, { count: 1, provider: "fal", design: DESIGN });
    expect(run.of("image")).toHaveLength(1);
    expect(fal.requests.filter((call) => call.method === "POST" && !call.path.startsWith("/__")).map((call) => call.path)).toEqual(["/fal-ai/flux/schnell"]);
  });
});
