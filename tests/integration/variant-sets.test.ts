import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { makeTempDir, startApp, type AppServer } from "../support/app-server";
import { appSuiteHooks } from "../support/app-suite";
import { CAMPAIGN_DESIGN, generate } from "../support/generation-client";
import { postSse, collectSse } from "../support/sse-client";
import { unzip } from "../support/unzip";

/**
 * Variant sets over real HTTP on the built-in renderer: a set differs in what it was asked to
 * test and in nothing else; each card's variant, its own copy and the ads manager's CSV follow.
 */

let app: AppServer;
let dataDir: string;
appSuiteHooks(() => ({ app, dataDir }));

const DESIGN = CAMPAIGN_DESIGN;

interface JobView {
  images: { index: number; status: string; layout: string; url: string; rawUrl: string; variant: { label: string; key: string; angle?: string; picture: number; copy?: Record<string, string> } | null }[];
}

const sha = (bytes: ArrayBuffer) => createHash("sha256").update(Buffer.from(bytes)).digest("hex");
const getJob = async (jobId: string) => (await (await fetch(`${app.url}/api/jobs/${jobId}`)).json()) as JobView;
const fetchBytes = async (path: string) => sha(await (await fetch(`${app.url}${path}`)).arrayBuffer());
const patch = (path: string, body: unknown) => fetch(`${app.url}${path}`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

beforeAll(async () => {
  dataDir = makeTempDir("acg-variants-");
  app = await startApp({ DATA_DIR: dataDir, IMAGE_PROVIDER: "builtin" });
});


describe("a set that tests copy angles", () => {
  let jobId: string;

  beforeAll(async () => {
    const run = await generate(app.url, { count: 4, provider: "builtin", variants: "copy", design: DESIGN });
    jobId = run.of("start")[0]!.jobId;
    expect(run.of("start")[0]!.variants!.map((variant) => variant!.label)).toEqual(["Copy: Your copy", "Copy: Benefit", "Copy: Social proof", "Copy: Urgency"]);
    expect(run.of("image").map((image) => image.variant?.label).sort()).toEqual(["Copy: Benefit", "Copy: Social proof", "Copy: Urgency", "Copy: Your copy"]);
  });

  it("puts one picture under four different pieces of copy", async () => {
    const job = await getJob(jobId);
    expect(job.images.every((image) => image.status === "done")).toBe(true);
    const pictures = new Set(await Promise.all(job.images.map((image) => fetchBytes(image.rawUrl))));
    const ads = new Set(await Promise.all(job.images.map((image) => fetchBytes(image.url))));
    expect(pictures.size).toBe(1);
    expect(ads.size).toBe(4);
    expect(new Set(job.images.map((image) => image.layout))).toEqual(new Set(["bottom-band"]));
    const headlines = job.images.map((image) => image.variant?.copy?.headline ?? DESIGN.headline);
    expect(new Set(headlines).size, headlines.join(" | ")).toBe(4);
    expect(job.images[0]!.variant!.copy).toBeUndefined();
  });

  it("downloads creatives.csv for ads managers, one row per ad with its copy and a URL tagged per variant", async () => {
    const files = await unzip(Buffer.from(await (await fetch(`${app.url}/api/jobs/${jobId}/download`)).arrayBuffer()));
    const csv = files["creatives.csv"]!.toString("utf8");
    const rows = csv.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(rows[0]).toBe("File,Format,Variant,Tests,Headline,Primary text,Description,Call to action,URL");
    expect(rows).toHaveLength(5);
    expect(rows[1]).toMatch(/^aurora-cold-brew-01\.jpg,instagram-square,v1-control,Copy: Your copy,"Cold brew, done right",Cold brew that travels with you\.,Free delivery over \$30,Shop now,https:\/\/aurora\.example\/cold-brew\?utm_source=instagram&utm_medium=paid_social&utm_campaign=aurora-cold-brew&utm_content=v1-control$/);
    expect(rows[4]).toContain("utm_content=v4-urgency");
    const manifest = JSON.parse(files["creatives.json"]!.toString("utf8")) as { images: { variant: { label: string }; copy: { headline: string }; url: string }[] };
    expect(manifest.images[3]!.variant.label).toBe("Copy: Urgency");
    expect(manifest.images[3]!.url).toContain("utm_content=v4-urgency");
  });

  it("edits one creative's copy alone, refusing a line the platform would cut", async () => {
    const tooLong = await patch(`/api/jobs/${jobId}/images/2`, { copy: { headline: "A headline far too long for any Instagram feed" } });
    expect(tooLong.status).toBe(400);
    expect(((await tooLong.json()) as { issues: { path: string; message: string }[] }).issues).toEqual([{ path: "copy.headline", message: "Shorten the headline to 40 characters or fewer so Instagram feed shows it whole (it has 46)." }]);

    const before = await getJob(jobId);
    const edited = await patch(`/api/jobs/${jobId}/images/2`, { copy: { headline: "Loved on the morning commute" } });
    expect(edited.status).toBe(200);
    const after = await getJob(jobId);
    expect(after.images[2]!.variant!.copy!.headline).toBe("Loved on the morning commute");
    expect(after.images[2]!.variant!.label).toBe("Copy: Social proof");
    expect(after.images[2]!.url).not.toBe(before.images[2]!.url);
    expect(after.images.filter((image) => image.index !== 2).map((image) => image.url)).toEqual(before.images.filter((image) => image.index !== 2).map((image) => image.url));
  });

  it("lets a campaign-wide headline reach every creative, and keeps their other lines", async () => {
    const before = await getJob(jobId);
    const response = await patch(`/api/jobs/${jobId}/design`, { design: { headline: "Cold brew, your way" } });
    expect(response.status).toBe(200);
    const after = await getJob(jobId);
    expect(after.images.every((image) => image.variant?.copy?.headline === undefined)).toBe(true);
    expect(after.images[3]!.variant!.copy!.cta).toBe(before.images[3]!.variant!.copy!.cta);
  });

  it("adds one more like a variant: its copy on a new picture", async () => {
    const response = await postSse(`${app.url}/api/jobs/${jobId}/images`, { action: "more", index: 3 });
    expect(response.status).toBe(200);
    await collectSse(response);
    const job = await getJob(jobId);
    expect(job.images).toHaveLength(5);
    expect(job.images[4]!.variant).toMatchObject({ angle: "urgency", picture: 2, copy: job.images[3]!.variant!.copy });
    expect(job.images[4]!.variant!.key).toBe("v5-like-v4");
  });
});

describe("sets that test the layout or the picture", () => {
  it("lays one picture out four ways", async () => {
    const run = await generate(app.url, { count: 4, provider: "builtin", variants: "layout", design: DESIGN });
    const job = await getJob(run.of("start")[0]!.jobId);
    expect(job.images.map((image) => image.layout)).toEqual(["bottom-band", "top-headline", "centered-card", "split"]);
    expect(new Set(await Promise.all(job.images.map((image) => fetchBytes(image.rawUrl)))).size).toBe(1);
    expect(job.images.map((image) => image.variant!.label)).toEqual(["Layout: Bottom band", "Layout: Top headline", "Layout: Centred card", "Layout: Split panel"]);
  });

  it("gives each creative its own picture under the same copy and layout", async () => {
    const run = await generate(app.url, { count: 3, provider: "builtin", variants: "picture", design: DESIGN });
    const job = await getJob(run.of("start")[0]!.jobId);
    expect(new Set(await Promise.all(job.images.map((image) => fetchBytes(image.rawUrl)))).size).toBe(3);
    expect(job.images.every((image) => image.layout === "bottom-band" && !image.variant!.copy)).toBe(true);
  });

  it("refuses a set it does not know, saying which ones it does", async () => {
    const response = await fetch(`${app.url}/api/generate-images`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ productName: "A", productDescription: "B", targetAudience: "C", style: "photographic", tone: "calm", format: "x", count: 2, variants: "colour" }) });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { issues: { path: string; message: string }[] }).issues).toEqual([{ path: "variants", message: "variants must be one of: all, picture, copy, layout" }]);
  });
});
