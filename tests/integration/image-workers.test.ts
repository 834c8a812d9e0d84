import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_DESIGN } from "@/lib/design";
import type { ImageWork } from "@/lib/server/image-work/image-work";
import { inThreadImageWork } from "@/lib/server/image-work/in-thread-image-work";
import { imageWorkerFile, workerPoolImageWork } from "@/lib/server/image-work/worker-pool-image-work";
import { ProviderError } from "@/lib/server/providers/provider-error";
import { makeTempDir, removeDir, REPO_ROOT, startApp } from "../support/app-server";
import { generate } from "../support/generation-client";

// The bundled worker from `npm run build`, as the app runs it: the same ads as on the main thread,
// the raw preview first, and errors the marketer can act on.
let pool: ImageWork;
let picture: Buffer;

beforeAll(async () => {
  pool = workerPoolImageWork(2, imageWorkerFile(REPO_ROOT));
  const gradient = Buffer.alloc(1024 * 1024 * 3);
  for (let i = 0; i < gradient.length; i++) gradient[i] = (i * 7) % 251;
  picture = await sharp(gradient, { raw: { width: 1024, height: 1024, channels: 3 } }).png().toBuffer();
});

afterAll(async () => {
  await pool?.close();
});

const input = () => ({ background: picture, format: "instagram-square" as const, design: DEFAULT_DESIGN, logo: null });

describe("image workers", () => {
  it("make the same finished ad as the main thread, with its raw preview handed over before the ad", async () => {
    const order: string[] = [];
    let preview: Buffer | undefined;
    const pooled = await pool.finish(input(), (webp) => {
      order.push("preview");
      preview = webp;
    });
    order.push("ad");
    const local = await inThreadImageWork().finish(input());

    expect(order).toEqual(["preview", "ad"]);
    expect(Buffer.isBuffer(preview)).toBe(true);
    expect(await sharp(preview!).metadata()).toMatchObject({ format: "webp", width: 512, height: 512 });
    expect(Buffer.isBuffer(pooled.bytes) && Buffer.isBuffer(pooled.thumbnail) && Buffer.isBuffer(pooled.placeholder)).toBe(true);
    expect(await sharp(pooled.bytes).metadata()).toMatchObject({ format: "jpeg", width: 1080, height: 1080 });
    expect(await sharp(pooled.thumbnail!).metadata()).toMatchObject({ format: "webp", width: 640 });
    expect(pooled.report).toEqual(local.report);
  });

  it("bring a damaged picture back as the provider's bad image, not as a crash", async () => {
    const error = await pool.finish({ ...input(), background: Buffer.from("<html>not a picture</html>") }).catch((e: unknown) => e);
    expect(ProviderError.is(error)).toBe(true);
    expect(error).toMatchObject({ code: "bad_image", message: expect.stringMatching(/could not be decoded/) });
  });

  it("render the built-in provider's pictures and step previews", async () => {
    const png = await pool.render({ prompt: "p", seed: 3, width: 768, height: 512, style: "minimalist", tone: "calm", productName: "Lumen", variant: 1 });
    expect(await sharp(png).metadata()).toMatchObject({ format: "png", width: 768, height: 512 });
    const step = await pool.preview(png);
    expect(await sharp(step).metadata()).toMatchObject({ format: "webp", width: 512 });
    await expect(pool.preview(Buffer.from("garbage"))).rejects.toThrow();
  });

  it("check and convert uploads: an SVG logo drawn to a PNG, a refusal said plainly", async () => {
    const logo = await pool.normaliseLogo(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" fill="#123"/></svg>'));
    expect(logo.ok).toBe(true);
    if (logo.ok) {
      expect(Buffer.isBuffer(logo.png)).toBe(true);
      expect(await sharp(logo.png).metadata()).toMatchObject({ format: "png" });
    }
    expect(await pool.normaliseLogo(Buffer.from("not an image"))).toMatchObject({ ok: false, code: "unsupported-media" });
    const product = await pool.normaliseProduct(picture);
    expect(product).toMatchObject({ ok: false, code: "invalid", error: expect.stringMatching(/background is not plain and light/) });
  });

  it("export a creative as a full-size PNG in another format", async () => {
    const composite = await pool.compose({ ...input(), format: "story" }, { encoding: "png" });
    expect(composite.mimeType).toBe("image/png");
    expect(await sharp(composite.bytes).metadata()).toMatchObject({ format: "png", width: 1080, height: 1920 });
  });
});

describe("the app on its image workers", () => {
  it("uses one worker per core unless IMAGE_WORKERS says otherwise, and makes the same ads either way", async () => {
    const runs: { logs: string; sizes: string[] }[] = [];
    for (const workers of [undefined, "0"]) {
      const dataDir = makeTempDir("acg-workers-");
      const app = await startApp({ DATA_DIR: dataDir, ...(workers ? { IMAGE_WORKERS: workers } : {}) });
      try {
        const run = await generate(app.url, { provider: "builtin", count: 2 });
        const images = run.of("image");
        expect(images).toHaveLength(2);
        expect(run.of("done")[0]).toMatchObject({ status: "completed", succeeded: 2 });
        const ad = await fetch(`${app.url}${images[0]!.url}`);
        expect(ad.headers.get("content-type")).toBe("image/jpeg");
        runs.push({ logs: app.logs(), sizes: images.map((image) => `${image.width}x${image.height}`) });
      } finally {
        await app.stop();
        removeDir(dataDir);
      }
    }
    expect(runs[0]!.logs).toMatch(/\[image-work\] decoding and compositing on \d+ worker thread/);
    expect(runs[1]!.logs).toMatch(/\[image-work\] decoding and compositing on the main thread/);
    expect(runs[0]!.sizes).toEqual(runs[1]!.sizes);
  });
});
