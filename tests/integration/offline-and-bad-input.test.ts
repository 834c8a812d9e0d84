import sharp from "sharp";
import { appSuiteHooks } from "../support/app-suite";
import { beforeAll, describe, expect, it } from "vitest";
import { startApp, makeTempDir, type AppServer } from "../support/app-server";
import { BRIEF, generate } from "../support/generation-client";

/** The app as a new user first runs it: no token, no network, built-in renderer. */
let app: AppServer;
let dataDir: string;

beforeAll(async () => {
  dataDir = makeTempDir("acg-offline-");
  app = await startApp({ DATA_DIR: dataDir });
});

// Nothing may try to leave the machine; the app and its stand-ins stop after the suite.
appSuiteHooks(() => ({ app, dataDir }));

describe("with no token configured", () => {
  it("defaults to the built-in renderer and makes real images of every format", async () => {
    for (const [format, width, height, outWidth, outHeight] of [
      ["instagram-square", 1024, 1024, 1080, 1080],
      ["instagram-portrait", 896, 1152, 1080, 1350],
      ["story", 768, 1344, 1080, 1920],
      ["link", 1216, 640, 1200, 628],
      ["x", 1344, 768, 1600, 900],
    ] as const) {
      const run = await generate(app.url, { count: 2, format });
      expect(run.of("start")[0]).toMatchObject({ provider: "builtin", width, height });
      expect(run.of("done")[0]).toMatchObject({ succeeded: 2, failed: 0 });
      const image = run.of("image")[0]!;
      const raw = Buffer.from(await (await fetch(app.url + image.rawUrl)).arrayBuffer());
      expect(await sharp(raw).metadata()).toMatchObject({ width, height });
      const bytes = Buffer.from(await (await fetch(app.url + image.url)).arrayBuffer());
      const stats = await sharp(bytes).stats();
      expect(await sharp(bytes).metadata()).toMatchObject({ width: outWidth, height: outHeight });
      // A designed background, not a flat placeholder.
      expect(Math.max(...stats.channels.map((c) => c.stdev))).toBeGreaterThan(10);
    }
  });

  it("shows Hugging Face as unavailable on the page with the fix, and refuses it at the API", async () => {
    const html = await (await fetch(app.url + "/")).text();
    expect(html).toContain("Set HF_TOKEN in .env.local");
    const response = await fetch(`${app.url}/api/generate-images`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...BRIEF, count: 1, provider: "huggingface" }),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/HF_TOKEN/);
  });
});

describe("bad input never reaches the runner and never causes a 5xx", () => {
  const valid = { ...BRIEF, count: 2 };
  const post = (body: string | undefined, contentType = "application/json") =>
    fetch(`${app.url}/api/generate-images`, { method: "POST", headers: contentType ? { "content-type": contentType } : {}, body });

  const cases: { name: string; body: string | undefined; contentType?: string; status: number; says: RegExp }[] = [
    { name: "non-JSON", body: "{not json", status: 400, says: /not valid JSON/ },
    { name: "empty body", body: "", status: 400, says: /empty/ },
    { name: "a JSON array", body: "[]", status: 400, says: /JSON object/ },
    { name: "wrong content type", body: JSON.stringify(valid), contentType: "text/plain", status: 415, says: /application\/json/ },
    { name: "form encoding", body: "productName=x", contentType: "application/x-www-form-urlencoded", status: 415, says: /application\/json/ },
    { name: "missing product name", body: JSON.stringify({ ...valid, productName: undefined }), status: 400, says: /productName/ },
    { name: "blank product name", body: JSON.stringify({ ...valid, productName: "   " }), status: 400, says: /"path":"productName","message":"Enter the product name\."/ },
    { name: "text over 500 characters", body: JSON.stringify({ ...valid, productDescription: "x".repeat(501) }), status: 400, says: /Shorten the product description to 500 characters or fewer/ },
    { name: "count 0", body: JSON.stringify({ ...valid, count: 0 }), status: 400, says: /count must be at least 1/ },
    { name: "count 9", body: JSON.stringify({ ...valid, count: 9 }), status: 400, says: /count must be at most 8/ },
    { name: "fractional count", body: JSON.stringify({ ...valid, count: 1.5 }), status: 400, says: /whole number/ },
    { name: "count as text", body: JSON.stringify({ ...valid, count: "4" }), status: 400, says: /count/ },
    { name: "unknown provider", body: JSON.stringify({ ...valid, provider: "midjourney" }), status: 400, says: /provider must be one of/ },
    { name: "unknown format", body: JSON.stringify({ ...valid, format: "banner" }), status: 400, says: /format must be one of/ },
    { name: "unknown field", body: JSON.stringify({ ...valid, admin: true }), status: 400, says: /unknown field.*admin/ },
    { name: "__proto__ key", body: `{"__proto__":{"polluted":1},${JSON.stringify(valid).slice(1)}`, status: 400, says: /__proto__/ },
    { name: "negative seed", body: JSON.stringify({ ...valid, seed: -1 }), status: 400, says: /seed must be 0 or more/ },
    { name: "body over 32 KB", body: JSON.stringify({ ...valid, pad: "x".repeat(40_000) }), status: 413, says: /too large/ },
  ];

  for (const c of cases) {
    it(`${c.name} → ${c.status} with a JSON error that says what to fix`, async () => {
      const response = await post(c.body, c.contentType);
      expect(response.status).toBe(c.status);
      expect(response.headers.get("content-type")).toMatch(/application\/json/);
      const body = (await response.json()) as { error: string; issues?: { path: string; message: string }[] };
      expect(`${body.error} ${JSON.stringify(body.issues ?? [])}`).toMatch(c.says);
    });
  }

  it("answers GET on the generation route with 405, and the server is still alive afterwards", async () => {
    expect((await fetch(`${app.url}/api/generate-images`)).status).toBe(405);
    const run = await generate(app.url, { count: 1 });
    expect(run.of("done")[0]?.succeeded).toBe(1);
  });
});

describe("GET /api/images/{id}", () => {
  it("refuses anything that is not an image id, including path traversal", async () => {
    for (const id of ["nope", "..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", "0123456789abcdef0123456789abcdef.png%00.txt", "0123456789abcdef0123456789abcdef.png"]) {
      const response = await fetch(`${app.url}/api/images/${id}`);
      expect([400, 404]).toContain(response.status);
    }
    const traversal = await fetch(`${app.url}/api/images/../../package.json`);
    expect(traversal.status).toBe(404);
  });
});

describe("configuration", () => {
  it("refuses to start with a bad value and says which variable to fix", async () => {
    const error = await startApp({ DATA_DIR: dataDir, GENERATION_CONCURRENCY: "lots", HF_ENDPOINT_URL: "not a url" }).then(
      async (server) => {
        await server.stop();
        return undefined;
      },
      (reason: unknown) => reason as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toMatch(/GENERATION_CONCURRENCY: must be a number/);
    expect(error!.message).toMatch(/HF_ENDPOINT_URL: must be an http\(s\) URL/);
  });
});
