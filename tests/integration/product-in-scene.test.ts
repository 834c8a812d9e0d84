import sharp from "sharp";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { freePort, makeTempDir, removeDir, startApp, type AppServer } from "../support/app-server";
import { startOpenAiStandIn, type OpenAiStandIn } from "../support/fakes/openai";
import { generate } from "../support/generation-client";

/**
 * The product in the scene, over the real app (`next start`) and OpenAI's stand-in: with a
 * packshot, the picture is an image edit built around it (`images.edit`, the packshot as image and
 * mask at the exact size asked for), and the finished ad carries the packshot's own pixels where
 * the model redrew it, never the model's version beside or under it.
 */

const OPENAI_KEY = "sk-proj-standInKey0123456789";
const RED = { r: 214, g: 40, b: 40 };

const DESIGN = {
  brandName: "Aurora",
  primaryColor: "#1F2A44",
  secondaryColor: "#F2B84B",
  headline: "Cold brew, done right",
  subline: "Small-batch and naturally sweet.",
  cta: "Shop now",
  layout: "bottom-band",
  logoId: null,
};

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
  // A red bottle-shaped packshot on white: the upload keys it out to a transparent cut-out.
  const packshot = await sharp({ create: { width: 600, height: 600, channels: 3, background: "#ffffff" } })
    .composite([{ input: await sharp({ create: { width: 180, height: 380, channels: 3, background: RED } }).png().toBuffer(), left: 210, top: 110 }])
    .jpeg({ quality: 95 })
    .toBuffer();
  const uploaded = await fetch(`${app.url}/api/products`, { method: "POST", headers: { "content-type": "application/octet-stream" }, body: new Uint8Array(packshot) });
  expect(uploaded.status).toBe(201);
  productId = ((await uploaded.json()) as { productId: string }).productId;
});

afterAll(async () => {
  await app?.stop();
  await openai?.close();
  if (dataDir) removeDir(dataDir);
});

beforeEach(() => openai.reset());
afterEach(() => expect(app.outboundAttempts()).toEqual([]));

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

    // The stand-in redraws what the mask keeps with its hue turned, as a model drifts; the ad shows
    // the packshot's own red, and next to none of the model's version survives around it.
    const drifted = (await sharp({ create: { width: 1, height: 1, channels: 3, background: RED } }).modulate({ hue: 90 }).raw().toBuffer()) as Buffer;
    const modelColour = { r: drifted[0]!, g: drifted[1]!, b: drifted[2]! };
    for (const image of images) {
      const ad = Buffer.from(await (await fetch(app.url + image.url)).arrayBuffer());
      const original = await countNear(ad, RED);
      expect(original, `${image.layout}: the packshot's red`).toBeGreaterThan(5000);
      const ghost = await countNear(ad, modelColour);
      expect(ghost / original, `${image.layout}: the model's redrawn product left around the original`).toBeLessThan(0.03);
    }
  });

  it("asks for a plain generation when the design has no packshot", async () => {
    const run = await generate(app.url, { count: 1, provider: "openai", design: DESIGN });
    expect(run.of("image")).toHaveLength(1);
    expect(openai.requests.filter((request) => request.path.startsWith("/v1/images/")).map((call) => call.path)).toEqual(["/v1/images/generations"]);
  });
});
