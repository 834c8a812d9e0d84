import { createHash } from "node:crypto";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { makeTempDir, startApp, type AppServer } from "../support/app-server";
import { appSuiteHooks } from "../support/app-suite";
import { CAMPAIGN_DESIGN, generate } from "../support/generation-client";
import { collectSse, isSseComment, postSse, sseJson, type SseMessage } from "../support/sse-client";
import { unzip } from "../support/unzip";

/**
 * One set in several platform formats over real HTTP on the built-in renderer (#22): every
 * variant in every chosen format at that format's size, the copy checked against every platform,
 * and a format added to a finished set beside the ones it has instead of replacing them.
 */

let app: AppServer;
let dataDir: string;
appSuiteHooks(() => ({ app, dataDir }));

const DESIGN = CAMPAIGN_DESIGN;

interface JobView {
  format: string;
  formats: string[];
  images: { index: number; status: string; format: string; width: number; height: number; url: string; rawUrl: string; prompt: string; seed: number; variant: { key: string; label: string; picture: number; format?: string; copy?: Record<string, string> } | null }[];
}

const sha = (bytes: ArrayBuffer) => createHash("sha256").update(Buffer.from(bytes)).digest("hex");
const getJob = async (jobId: string) => (await (await fetch(`${app.url}/api/jobs/${jobId}`)).json()) as JobView;
const sizeOf = async (path: string) => {
  const { width, height } = await sharp(Buffer.from(await (await fetch(`${app.url}${path}`)).arrayBuffer())).metadata();
  return [width, height];
};
const patch = (path: string, body: unknown) => fetch(`${app.url}${path}`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const post = (path: string, body: unknown) => fetch(`${app.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

beforeAll(async () => {
  dataDir = makeTempDir("acg-formats-");
  app = await startApp({ DATA_DIR: dataDir, IMAGE_PROVIDER: "builtin" });
});

describe("a set made in several formats at once", () => {
  let jobId: string;

  beforeAll(async () => {
    const run = await generate(app.url, { count: 2, provider: "builtin", variants: "copy", format: "instagram-square", moreFormats: ["story", "link"], design: DESIGN });
    jobId = run.of("start")[0]!.jobId;
    expect(run.of("start")[0]!.total).toBe(6);
    expect(run.of("error")).toEqual([]);
  });

  it("makes every variant in every format, each at its platform's size", async () => {
    const job = await getJob(jobId);
    expect(job.formats).toEqual(["instagram-square", "story", "link"]);
    expect(job.images.map((image) => [image.status, image.format, image.width, image.height])).toEqual([
      ["done", "instagram-square", 1080, 1080],
      ["done", "instagram-square", 1080, 1080],
      ["done", "story", 1080, 1920],
      ["done", "story", 1080, 1920],
      ["done", "link", 1200, 628],
      ["done", "link", 1200, 628],
    ]);
    // The files are what the rows say, and each format's picture was asked at its own shape.
    for (const image of job.images) expect(await sizeOf(image.url)).toEqual([image.width, image.height]);
    const [squareRaw, storyRaw, linkRaw] = await Promise.all([0, 2, 4].map((i) => sizeOf(job.images[i]!.rawUrl)));
    expect(squareRaw![0]).toBe(squareRaw![1]);
    expect(storyRaw![1]).toBeGreaterThan(storyRaw![0]! * 1.5);
    expect(linkRaw![0]).toBeGreaterThan(linkRaw![1]! * 1.5);
  });

  it("keeps each variant's copy, key and scene in every format, framed for it", async () => {
    const job = await getJob(jobId);
    const [square, , story] = job.images;
    expect(story!.variant).toMatchObject({ key: square!.variant!.key, label: square!.variant!.label, picture: square!.variant!.picture });
    expect(job.images[3]!.variant!.copy).toEqual(job.images[1]!.variant!.copy);
    expect(story!.seed).toBe(square!.seed);
    expect(square!.prompt).toContain("square composition");
    expect(story!.prompt).toContain("tall vertical full-screen composition");
  });

  it("downloads one file per creative named with its format, and a CSV row with each format", async () => {
    const files = await unzip(Buffer.from(await (await fetch(`${app.url}/api/jobs/${jobId}/download`)).arrayBuffer()));
    const ads = Object.keys(files).filter((name) => /^aurora-cold-brew-\d\d/.test(name)).sort();
    expect(ads).toEqual([
      "aurora-cold-brew-01-instagram-square.jpg",
      "aurora-cold-brew-02-instagram-square.jpg",
      "aurora-cold-brew-03-story.jpg",
      "aurora-cold-brew-04-story.jpg",
      "aurora-cold-brew-05-link.jpg",
      "aurora-cold-brew-06-link.jpg",
    ]);
    const rows = files["creatives.csv"]!.toString("utf8").replace(/^\uFEFF/, "").trim().split("\r\n").slice(1);
    expect(rows.map((row) => row.split(",")[1])).toEqual(["instagram-square", "instagram-square", "story", "story", "link", "link"]);
    // Each platform gets its own UTM source; the variant key says which test the ad is in.
    expect(rows[4]).toMatch(/utm_source=facebook.*utm_content=v1-control$/);
    const manifest = JSON.parse(files["creatives.json"]!.toString("utf8")) as { images: { format: string; width: number }[] };
    expect(manifest.images.map((image) => image.format)).toEqual(["instagram-square", "instagram-square", "story", "story", "link", "link"]);
  });

  it("downloads the whole set as lossless PNGs, each at its format's size, or refuses another type", async () => {
    const files = await unzip(Buffer.from(await (await fetch(`${app.url}/api/jobs/${jobId}/download?type=png`)).arrayBuffer()));
    const ads = Object.keys(files).filter((name) => /^aurora-cold-brew-\d\d/.test(name)).sort();
    expect(ads).toHaveLength(6);
    for (const [name, size] of [["aurora-cold-brew-01-instagram-square.png", [1080, 1080]], ["aurora-cold-brew-03-story.png", [1080, 1920]], ["aurora-cold-brew-06-link.png", [1200, 628]]] as const) {
      const { format, width, height } = await sharp(files[name]!).metadata();
      expect([format, width, height]).toEqual(["png", ...size]);
    }
    expect(files["creatives.csv"]!.toString("utf8")).toContain("aurora-cold-brew-03-story.png,story,");
    const refused = await fetch(`${app.url}/api/jobs/${jobId}/download?type=gif`);
    expect(refused.status).toBe(400);
  });

  it("edits the copy of every format at once and keeps each creative's format", async () => {
    const before = await getJob(jobId);
    const edited = await patch(`/api/jobs/${jobId}/design`, { design: { headline: "Cold brew, anywhere" } });
    expect(edited.status).toBe(200);
    const answer = (await edited.json()) as { images: { index: number; format: string; width: number; height: number; url: string }[] };
    expect(answer.images.map((image) => [image.format, image.width, image.height])).toEqual(before.images.map((image) => [image.format, image.width, image.height]));
    expect(new Set(answer.images.map((image) => image.url))).not.toContain(before.images[0]!.url);
  });

  it("names every format of the set in the history", async () => {
    const history = (await (await fetch(`${app.url}/api/jobs`)).json()) as { jobs: { id: string; format: string; formats: string[] }[] };
    expect(history.jobs.find((job) => job.id === jobId)).toMatchObject({ format: "instagram-square", formats: ["instagram-square", "story", "link"] });
  });

  it("refuses to replace the formats of a set that has several: formats are added", async () => {
    const response = await patch(`/api/jobs/${jobId}/design`, { format: "x" });
    expect(response.status).toBe(409);
    expect((await response.json()).error).toMatch(/several formats/);
    expect((await getJob(jobId)).formats).toEqual(["instagram-square", "story", "link"]);
  });
});

describe("adding a format to a finished set", () => {
  it("makes the set again in that format beside the one it had, keeping every ad it had", async () => {
    const run = await generate(app.url, { count: 3, provider: "builtin", variants: "all", format: "instagram-portrait", design: DESIGN });
    const jobId = run.of("start")[0]!.jobId;
    const before = await getJob(jobId);
    expect(before.formats).toEqual(["instagram-portrait"]);
    const beforeAds = await Promise.all(before.images.map(async (image) => sha(await (await fetch(`${app.url}${image.url}`)).arrayBuffer())));

    const added = (await collectSse(await postSse(`${app.url}/api/jobs/${jobId}/images`, { action: "format", format: "x" }))).filter((item): item is SseMessage => !isSseComment(item));
    const start = sseJson<{ indices: number[]; batchSize: number }>(added.find((event) => event.event === "start")!);
    expect(start.indices).toEqual([3, 4, 5]);
    expect(start.batchSize).toBe(6);
    expect(added.filter((event) => event.event === "image")).toHaveLength(3);

    const after = await getJob(jobId);
    expect(after.formats).toEqual(["instagram-portrait", "x"]);
    expect(after.images.map((image) => [image.status, image.format, image.width, image.height])).toEqual([
      ...before.images.map((image) => ["done", "instagram-portrait", image.width, image.height]),
      ["done", "x", 1600, 900],
      ["done", "x", 1600, 900],
      ["done", "x", 1600, 900],
    ]);
    // The ads it had are untouched; the new ones carry the same variants, layouts and seeds.
    const keptAds = await Promise.all(after.images.slice(0, 3).map(async (image) => sha(await (await fetch(`${app.url}${image.url}`)).arrayBuffer())));
    expect(keptAds).toEqual(beforeAds);
    for (let i = 0; i < 3; i++) {
      expect(after.images[i + 3]!.variant).toMatchObject({ key: before.images[i]!.variant!.key, format: "x" });
      expect(after.images[i + 3]!.seed).toBe(before.images[i]!.seed);
      expect(after.images[i + 3]!.prompt).toContain("wide horizontal composition");
    }

    // The same format twice is refused.
    const again = await post(`/api/jobs/${jobId}/images`, { action: "format", format: "x" });
    expect(again.status).toBe(409);
    expect((await again.json()).error).toMatch(/already has/);
  });

  it("refuses a format whose platforms would cut the set's copy, naming the line", async () => {
    // 48 characters: X shows 70 of a headline, Instagram 40.
    const long = { ...DESIGN, headline: "Cold brew, done right, with every single bottle" };
    const run = await generate(app.url, { count: 1, provider: "builtin", format: "x", design: long });
    const jobId = run.of("start")[0]!.jobId;
    const tooShort = await post(`/api/jobs/${jobId}/images`, { action: "format", format: "instagram-square" });
    expect(tooShort.status).toBe(400);
    const body = (await tooShort.json()) as { error: string; issues: { path: string }[] };
    expect(body.error).toMatch(/Headline/i);
    expect(body.issues[0]!.path).toBe("format");
    expect((await getJob(jobId)).images).toHaveLength(1);
  });
});

describe("validation of several formats", () => {
  it("refuses a format named twice, or the first format again, under moreFormats", async () => {
    const response = await post("/api/generate-images", { productName: "A", productDescription: "B", targetAudience: "C", style: "photographic", tone: "calm", format: "story", moreFormats: ["link", "story"], count: 1, provider: "builtin" });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { issues: { path: string; message: string }[] };
    expect(body.issues).toContainEqual({ path: "moreFormats.1", message: "story is already in the set: name each format once" });
  });

  it("checks the copy against every chosen format's platforms", async () => {
    const request = { productName: "A", productDescription: "B", targetAudience: "C", style: "photographic", tone: "calm", format: "x", count: 1, provider: "builtin", design: { ...DESIGN, headline: "Cold brew, done right, with every single bottle" } };
    const alone = await post("/api/generate-images", request);
    expect(alone.status).toBe(200);
    await alone.text();
    const refused = await post("/api/generate-images", { ...request, moreFormats: ["link"] });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { issues: { path: string }[] }).issues.map((issue) => issue.path)).toContain("design.headline");
  });
});
