import sharp from "sharp";
import { appSuiteHooks } from "../support/app-suite";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { unzip } from "../support/unzip";
import { makeTempDir, startApp, type AppServer } from "../support/app-server";
import { startFakeHuggingFace } from "../support/fakes/hf-endpoint";
import type { FakeProvider } from "../support/fakes/scripted-fake-server";
import { generate } from "../support/generation-client";
import { isSseComment, readSse } from "../support/sse-client";

let hf: FakeProvider;
let app: AppServer;
let dataDir: string;

const DESIGN = {
  brandName: "Nimbus",
  primaryColor: "#0B3D2E",
  secondaryColor: "#FFD166",
  headline: "Run further, feel lighter",
  subline: "Trail shoes tuned for long days outside.",
  cta: "Find your pair",
  layout: "bottom-band",
  logoId: null as string | null,
};

beforeAll(async () => {
  hf = await startFakeHuggingFace();
  dataDir = makeTempDir("acg-creatives-");
  app = await startApp({ HF_TOKEN: "hf_creativesTest", HF_ENDPOINT_URL: `${hf.url}/models/sdxl`, DATA_DIR: dataDir });
});

// Nothing may try to leave the machine; the app and its stand-ins stop after the suite.
appSuiteHooks(() => ({ app, standIns: [hf], dataDir }));

beforeEach(() => hf.reset());

const uploadLogo = (body: Buffer, contentType = "application/octet-stream") =>
  fetch(`${app.url}/api/logos`, { method: "POST", headers: { "content-type": contentType }, body: new Uint8Array(body) });

const patch = (path: string, body: unknown) =>
  fetch(`${app.url}${path}`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

async function metadataOf(url: string) {
  const response = await fetch(app.url + url);
  expect(response.status).toBe(200);
  return sharp(Buffer.from(await response.arrayBuffer())).metadata();
}

describe("POST /api/logos", () => {
  it("accepts PNG and safe SVG logos, judging by the bytes rather than the declared type", async () => {
    const png = await sharp({ create: { width: 400, height: 160, channels: 4, background: "#ff00ff" } }).png().toBuffer();
    const accepted = await uploadLogo(png, "image/svg+xml");
    expect(accepted.status).toBe(201);
    const body = await accepted.json();
    expect(body.logoId).toMatch(/^[0-9a-f]{32}\.png$/);
    expect((await metadataOf(body.url)).format).toBe("png");

    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" fill="#123"/></svg>');
    expect((await uploadLogo(svg, "image/svg+xml")).status).toBe(201);
  });

  const refusals: [string, () => Promise<Buffer>, number, RegExp][] = [
    ["oversized", async () => Buffer.alloc(2 * 1024 * 1024 + 1, 1), 413, /2 MB/],
    ["wrong type (GIF)", async () => Buffer.from("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), 415, /PNG, JPEG, WebP or SVG/],
    ["malformed SVG", async () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><rect width="10" <<<'), 400, /malformed/],
    ["SVG with a script", async () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 400, /scripts/],
    ["SVG with an external reference", async () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><image href="http://127.0.0.1:1/x.png" width="10" height="10"/></svg>'), 400, /external/],
    ["SVG reading a local file", async () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>'), 400, /external/],
    ["empty upload", async () => Buffer.alloc(0), 400, /empty/],
  ];
  for (const [name, make, status, says] of refusals) {
    it(`refuses ${name} with ${status} and a message that says what to do`, async () => {
      const response = await uploadLogo(await make());
      expect(response.status).toBe(status);
      expect((await response.json()).error).toMatch(says);
    });
  }
});

describe("finished creatives", () => {
  it("lays brand and copy over each picture at the platform size, keeping the raw picture", async () => {
    const run = await generate(app.url, { count: 2, provider: "huggingface", format: "story", design: DESIGN });
    for (const image of run.of("image")) {
      expect(image).toMatchObject({ format: "story", layout: "bottom-band", width: 1080, height: 1920 });
      expect(await metadataOf(image.url)).toMatchObject({ width: 1080, height: 1920 });
      expect(await metadataOf(image.rawUrl)).toMatchObject({ width: 768, height: 1344 });
    }
  });

  it("re-composites on a design change without calling the model, and the job remembers it", async () => {
    const logo = await (await uploadLogo(await sharp({ create: { width: 300, height: 100, channels: 4, background: "#ff00ff" } }).png().toBuffer())).json();
    const run = await generate(app.url, { count: 2, provider: "huggingface", design: DESIGN });
    const jobId = run.of("start")[0]!.jobId;
    const before = run.of("image");
    const requests = hf.requests.length;

    const response = await patch(`/api/jobs/${jobId}/design`, { design: { headline: "Brand new headline", layout: "split", logoId: logo.logoId } });
    expect(response.status).toBe(200);
    const result = await response.json();
    expect(result.images).toHaveLength(2);
    expect(hf.requests.length).toBe(requests);
    for (const image of result.images) {
      const old = before.find((b) => b.index === image.index)!;
      expect(image.url).not.toBe(old.url);
      expect(image.rawUrl).toBe(old.rawUrl);
      expect(image.layout).toBe("split");
      expect((await fetch(app.url + old.url)).status).toBe(404);
    }
    // The edited ad really changed: its pixels differ from the first version.
    const job = await (await fetch(`${app.url}/api/jobs/${jobId}`)).json();
    expect(job.design).toMatchObject({ headline: "Brand new headline", layout: "split", logoId: logo.logoId });
    expect(job.images.map((i: { url: string }) => i.url)).toEqual(result.images.map((i: { url: string }) => i.url));

    // Reopening the job replays to the latest creatives.
    const events = await fetch(`${app.url}/api/jobs/${jobId}/events`);
    const replayed: string[] = [];
    for await (const item of readSse(events)) {
      if (isSseComment(item) || item.event !== "image") continue;
      replayed.push(JSON.parse(item.data).url);
    }
    // Superseded versions (whose files are gone) are not replayed: one image event per creative.
    expect(replayed.sort()).toEqual(result.images.map((i: { url: string }) => i.url).sort());
  });

  it("changes format and per-creative layout in place", async () => {
    const run = await generate(app.url, { count: 2, provider: "huggingface", design: DESIGN });
    const jobId = run.of("start")[0]!.jobId;
    const toX = await (await patch(`/api/jobs/${jobId}/design`, { format: "x" })).json();
    expect(toX.images.map((i: { width: number; height: number }) => [i.width, i.height])).toEqual([[1600, 900], [1600, 900]]);
    expect(await metadataOf(toX.images[0].url)).toMatchObject({ width: 1600, height: 900 });

    const one = await (await patch(`/api/jobs/${jobId}/images/1`, { layout: "centered-card" })).json();
    expect(one.images).toHaveLength(1);
    expect(one.images[0]).toMatchObject({ index: 1, layout: "centered-card", width: 1600 });
    const job = await (await fetch(`${app.url}/api/jobs/${jobId}`)).json();
    expect(job.images.map((i: { layout: string }) => i.layout)).toEqual(["bottom-band", "centered-card"]);

    // A campaign-wide copy edit, sent as the form sends it (the whole design, its layout unchanged),
    // keeps the creative's own layout (#22); only choosing another campaign layout replaces it.
    const edited = await (await patch(`/api/jobs/${jobId}/design`, { design: { ...job.design, headline: "A new headline" } })).json();
    expect(edited.images.map((i: { layout: string }) => i.layout)).toEqual(["bottom-band", "centered-card"]);
    const relaid = await (await patch(`/api/jobs/${jobId}/design`, { design: { ...job.design, layout: "split" } })).json();
    expect(relaid.images.map((i: { layout: string }) => i.layout)).toEqual(["split", "split"]);
  });

  it("exports one creative in every platform format as a zip", async () => {
    const run = await generate(app.url, { count: 1, provider: "huggingface", design: DESIGN, productName: "Export Ale" });
    const jobId = run.of("start")[0]!.jobId;
    const response = await fetch(`${app.url}/api/jobs/${jobId}/images/0/export`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toContain("export-ale-01-all-formats.zip");
    const entries = await unzip(Buffer.from(await response.arrayBuffer()));
    const sizes = await Promise.all(Object.entries(entries).map(async ([name, bytes]) => [name, await sharp(bytes).metadata()] as const));
    expect(sizes.map(([name, m]) => `${name}:${m.width}x${m.height}`).sort()).toEqual([
      "export-ale-01-instagram-portrait-1080x1350.png:1080x1350",
      "export-ale-01-instagram-square-1080x1080.png:1080x1080",
      "export-ale-01-link-1200x628.png:1200x628",
      "export-ale-01-story-1080x1920.png:1080x1920",
      "export-ale-01-x-1600x900.png:1600x900",
    ]);
    expect((await fetch(`${app.url}/api/jobs/${jobId}/images/7/export`)).status).toBe(404);

    // Or as JPEGs (#22), what most ad platforms take.
    const jpg = await fetch(`${app.url}/api/jobs/${jobId}/images/0/export?type=jpg`);
    expect(jpg.status).toBe(200);
    expect(jpg.headers.get("content-disposition")).toContain("export-ale-01-all-formats-jpg.zip");
    const jpegs = await unzip(Buffer.from(await jpg.arrayBuffer()));
    const jpegSizes = await Promise.all(Object.entries(jpegs).map(async ([name, bytes]) => [name, await sharp(bytes).metadata()] as const));
    expect(jpegSizes.map(([name, m]) => `${name}:${m.format}:${m.width}x${m.height}`).sort()).toEqual([
      "export-ale-01-instagram-portrait-1080x1350.jpg:jpeg:1080x1350",
      "export-ale-01-instagram-square-1080x1080.jpg:jpeg:1080x1080",
      "export-ale-01-link-1200x628.jpg:jpeg:1200x628",
      "export-ale-01-story-1080x1920.jpg:jpeg:1080x1920",
      "export-ale-01-x-1600x900.jpg:jpeg:1600x900",
    ]);
    const gif = await fetch(`${app.url}/api/jobs/${jobId}/images/0/export?type=gif`);
    expect(gif.status).toBe(400);
    expect(((await gif.json()) as { error: string }).error).toMatch(/png or jpg/);
  });

  it("refuses bad designs with a 4xx that names the field", async () => {
    const run = await generate(app.url, { count: 1, provider: "huggingface", design: DESIGN });
    const jobId = run.of("start")[0]!.jobId;
    const bad = await patch(`/api/jobs/${jobId}/design`, { design: { primaryColor: "red" } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toMatch(/"path":"design.primaryColor","message":"Enter the primary colour as # and six digits or letters A–F, like #1F2A44\."/);
    expect((await patch(`/api/jobs/${jobId}/design`, { design: { headline: "x".repeat(81) } })).status).toBe(400);
    expect((await patch(`/api/jobs/${jobId}/images/0`, { layout: "diagonal" })).status).toBe(400);
    const missingLogo = await generate(app.url, { count: 1, provider: "huggingface", design: DESIGN }).then((r) => r.of("start")[0]!.jobId);
    expect((await patch(`/api/jobs/${missingLogo}/design`, { design: { logoId: `${"0".repeat(32)}.png` } })).status).toBe(400);
  });

  it("remembers the brand kit for the next campaign", async () => {
    await generate(app.url, { count: 1, provider: "huggingface", design: { ...DESIGN, brandName: "Remembered Brand" } });
    const html = await (await fetch(`${app.url}/`)).text();
    expect(html).toContain('value="Remembered Brand"');
  });
});

describe("POST /api/products and the product on the stage", () => {
  const uploadProduct = (body: Buffer) =>
    fetch(`${app.url}/api/products`, { method: "POST", headers: { "content-type": "application/octet-stream" }, body: new Uint8Array(body) });

  it("cuts a packshot out of its white background, refuses what it cannot, and stands it in every creative when the design names it", async () => {
    const packshot = await sharp({ create: { width: 500, height: 500, channels: 3, background: "#ffffff" } })
      .composite([{ input: await sharp({ create: { width: 160, height: 300, channels: 3, background: "#1a9c3e" } }).png().toBuffer(), left: 170, top: 100 }])
      .jpeg({ quality: 95 })
      .toBuffer();
    const accepted = await uploadProduct(packshot);
    expect(accepted.status).toBe(201);
    const product = (await accepted.json()) as { productId: string; url: string; keyed: boolean; width: number; height: number };
    expect(product).toMatchObject({ keyed: true });
    expect(Math.abs(product.width - 160)).toBeLessThanOrEqual(4);
    const stored = await sharp(Buffer.from(await (await fetch(app.url + product.url)).arrayBuffer())).metadata();
    expect(stored).toMatchObject({ format: "png", hasAlpha: true });

    const noise = Buffer.alloc(200 * 200 * 3);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) % 251;
    const refused = await uploadProduct(await sharp(noise, { raw: { width: 200, height: 200, channels: 3 } }).jpeg().toBuffer());
    expect(refused.status).toBe(400);
    expect((await refused.json()).error).toMatch(/Upload a PNG or WebP cut-out, or a photo on a plain white background/);
    expect((await uploadProduct(Buffer.from("GIF89a"))).status).toBe(415);

    // Live, like the logo: naming the product in the design re-composites the finished creatives.
    const run = await generate(app.url, { count: 1, provider: "huggingface", design: DESIGN });
    const jobId = run.of("start")[0]!.jobId;
    const before = run.of("image")[0]!;
    const green = async (url: string) => {
      const { data, info } = await sharp(Buffer.from(await (await fetch(app.url + url)).arrayBuffer())).raw().toBuffer({ resolveWithObject: true });
      let count = 0;
      for (let i = 0; i < data.length; i += info.channels) if (data[i]! < 60 && data[i + 1]! > 130 && data[i + 2]! < 90) count++;
      return count;
    };
    // (Read before the edit: a re-composited creative's old files are deleted.)
    expect(await green(before.url)).toBe(0);
    const edited = await patch(`/api/jobs/${jobId}/design`, { design: { productId: product.productId } });
    expect(edited.status).toBe(200);
    const after = ((await edited.json()) as { images: { url: string }[] }).images[0]!;
    expect(after.url).not.toBe(before.url);
    expect(await green(after.url)).toBeGreaterThan(2000);
    const job = await (await fetch(`${app.url}/api/jobs/${jobId}`)).json();
    expect(job.design.productId).toBe(product.productId);

    // A product that is no longer stored is refused before anything is made.
    const missing = await patch(`/api/jobs/${jobId}/design`, { design: { productId: `${"0".repeat(32)}.png` } });
    expect(missing.status).toBe(400);
    expect((await missing.json()).error).toMatch(/product image is no longer stored/);
  });
});
