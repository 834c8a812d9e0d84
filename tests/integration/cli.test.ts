import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { appSuiteHooks } from "../support/app-suite";
import { sendAs, signUp } from "../support/accounts-client";
import { cleanEnv, freePort, loopbackGuardEnv, makeTempDir, readOutboundAttempts, REPO_ROOT, startApp, type AppServer } from "../support/app-server";
import { startFakeHuggingFace } from "../support/fakes/hf-endpoint";
import type { FakeProvider } from "../support/fakes/scripted-fake-server";

/**
 * The command-line client (`npx creatives`, bin/creatives.mjs) against the built app with
 * accounts on: a batch with progress, a connection dropped mid-run and resumed, files on disk,
 * history and download, and the failures a person must be able to act on.
 */

let app: AppServer;
let hf: FakeProvider;
let dataDir: string;
let token: string;
const work = makeTempDir("acg-cli-");
const guardLog = path.join(work, "outbound.log");
const briefFile = path.join(work, "brief.json");

beforeAll(async () => {
  // A provider slow enough (one picture at a time, 700 ms each) that a run is still going when its connection drops.
  hf = await startFakeHuggingFace({ latencyMs: 700 });
  dataDir = makeTempDir("acg-cli-data-");
  app = await startApp({
    DATA_DIR: dataDir,
    AUTH: "on",
    AUTH_SECRET: "cli-test-secret-0123456789abcdef0123",
    HF_TOKEN: "hf_cliTestToken",
    HF_ENDPOINT_URL: `${hf.url}/models/sdxl`,
    GENERATION_CONCURRENCY: "1",
  });
  const owner = await signUp(app.url, { name: "Olivia Owner", email: "olivia@example.com" });
  token = ((await (await sendAs(app.url, owner, "POST", "/api/tokens", { name: "cli test" })).json()) as { token: string }).token;
  writeFileSync(briefFile, JSON.stringify({ productName: "Lantern Tea", productDescription: "Loose-leaf green tea in a tin", targetAudience: "Tea lovers who brew at work" }));
}, 60_000);

appSuiteHooks(() => ({ app, standIns: [hf], dataDir }));

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `creatives …` as a person would, its output a pipe (so progress is plain lines), behind the loopback guard. */
function creatives(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, "bin", "creatives.mjs"), ...args], {
      cwd: work,
      env: { ...cleanEnv({ CREATIVES_SERVER: app.url, CREATIVES_TOKEN: token, ...env }), ...loopbackGuardEnv(guardLog) } as unknown as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** What a folder of saved creatives holds: the ads (checked to be real images) and the manifest. */
async function savedIn(dir: string): Promise<{ files: string[]; manifest: { jobId: string; images: { index: number; file: string; prompt: string }[]; failed: unknown[] } }> {
  const files = readdirSync(dir).sort();
  for (const file of files.filter((name) => name.endsWith(".jpg"))) {
    const meta = await sharp(path.join(dir, file)).metadata();
    expect(meta.format, file).toBe("jpeg");
    expect(meta.width).toBeGreaterThan(100);
  }
  return { files, manifest: JSON.parse(readFileSync(path.join(dir, "creatives.json"), "utf8")) };
}

describe("creatives generate", () => {
  it("runs a copy test with --variants and saves creatives.csv with a row per variant", async () => {
    const out = path.join(work, "variants");
    const run = await creatives(["generate", "--brief", briefFile, "--count", "3", "--variants", "copy", "--copy-writer", "offline", "--out", out]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const csv = readFileSync(path.join(out, "creatives.csv"), "utf8").replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(csv.map((row) => row.split(",")[3])).toEqual(["Tests", "Copy: Your copy", "Copy: Benefit", "Copy: Social proof"]);
    const bad = await creatives(["generate", "--brief", briefFile, "--variants", "colour", "--out", out]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("variants: variants must be one of: all, picture, copy, layout");
  });

  it("runs a batch with progress for each image and saves every ad and creatives.json", async () => {
    const out = path.join(work, "batch");
    const run = await creatives(["generate", "--brief", briefFile, "--count", "3", "--format", "story", "--out", out]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    for (const slot of ["1/3", "2/3", "3/3"]) {
      expect(run.stdout).toContain(`image  ${slot}: generating`);
      expect(run.stdout).toMatch(new RegExp(`image  ${slot}: done in \\d+\\.\\d s`));
    }
    expect(run.stdout).toContain("Run completed: 3 made, 0 failed");
    const saved = await savedIn(out);
    expect(saved.files).toEqual(["creatives.csv", "creatives.json", "lantern-tea-01.jpg", "lantern-tea-02.jpg", "lantern-tea-03.jpg"]);
    expect(saved.manifest.images.map((image) => image.file)).toEqual(["lantern-tea-01.jpg", "lantern-tea-02.jpg", "lantern-tea-03.jpg"]);
    const story = await sharp(path.join(out, "lantern-tea-01.jpg")).metadata();
    expect(story.height! / story.width!).toBeCloseTo(16 / 9, 1);
    // The token is never printed.
    expect(run.stdout + run.stderr).not.toContain(token);
  });

  it("takes --logo and --product files: uploaded first, named in the run's design, in every ad (#22)", async () => {
    const logo = path.join(work, "logo.svg");
    writeFileSync(logo, `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="80"><rect x="10" y="20" width="220" height="40" rx="8" fill="#1F2A44"/></svg>`);
    const product = path.join(work, "tin.png");
    // A tin on a plain white backdrop, as a packshot is shot.
    writeFileSync(product, await sharp({ create: { width: 400, height: 400, channels: 3, background: "#ffffff" } }).composite([{ input: await sharp({ create: { width: 160, height: 240, channels: 3, background: "#2E7D32" } }).png().toBuffer(), left: 120, top: 80 }]).png().toBuffer());
    const out = path.join(work, "branded");
    const run = await creatives(["generate", "--brief", briefFile, "--count", "1", "--logo", logo, "--product", product, "--out", out]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(out, "creatives.json"), "utf8")) as { design: { logoId: string | null; productId: string | null } };
    expect(manifest.design.logoId).toMatch(/^[0-9a-f]{32}\.png$/);
    expect(manifest.design.productId).toMatch(/^[0-9a-f]{32}\.png$/);

    const missing = await creatives(["generate", "--brief", briefFile, "--logo", path.join(work, "no-such-logo.png")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/Cannot read --logo .*no-such-logo\.png: there is no such file/);
    const notAnImage = await creatives(["generate", "--brief", briefFile, "--product", briefFile]);
    expect(notAnImage.code).toBe(1);
    expect(notAnImage.stderr).toMatch(/--product .*brief\.json: That file is not a PNG, WebP or JPEG image/);
  });

  it("makes the set in several formats with --formats: one run each, from the same scenes and packshot, saved side by side (#22)", async () => {
    const product = path.join(work, "bottle.png");
    writeFileSync(product, await sharp({ create: { width: 300, height: 500, channels: 3, background: "#ffffff" } }).composite([{ input: await sharp({ create: { width: 120, height: 360, channels: 3, background: "#8E3B5B" } }).png().toBuffer(), left: 90, top: 70 }]).png().toBuffer());
    const out = path.join(work, "formats");
    const run = await creatives(["generate", "--brief", briefFile, "--count", "2", "--formats", "instagram-square, story", "--product", product, "--out", out]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    type Manifest = { format: string; design: { productId: string | null }; images: { file: string; seed: number; width: number; height: number }[] };
    const square = JSON.parse(readFileSync(path.join(out, "instagram-square", "creatives.json"), "utf8")) as Manifest;
    const story = JSON.parse(readFileSync(path.join(out, "story", "creatives.json"), "utf8")) as Manifest;
    expect([square.format, story.format]).toEqual(["instagram-square", "story"]);
    expect(square.design.productId).toMatch(/^[0-9a-f]{32}\.png$/);
    expect(story.design.productId).toBe(square.design.productId);
    expect(story.images.map((image) => image.seed)).toEqual(square.images.map((image) => image.seed));
    for (const [manifest, size] of [[square, { width: 1080, height: 1080 }], [story, { width: 1080, height: 1920 }]] as const) {
      expect(manifest.images).toHaveLength(2);
      for (const image of manifest.images) {
        const meta = await sharp(path.join(out, manifest.format, image.file)).metadata();
        expect({ width: meta.width, height: meta.height }).toEqual(size);
      }
    }

    const both = await creatives(["generate", "--brief", briefFile, "--format", "story", "--formats", "story,x"]);
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/--format for one format or --formats for several, not both/);
    const unknown = await creatives(["generate", "--brief", briefFile, "--formats", "story,billboard"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/format: format must be one of: instagram-square, /);
  });

  it("resumes after the connection drops mid-run: nothing missed, nothing twice, every file saved", async () => {
    const proxy = await dropOnce(new URL(app.url).port);
    try {
      const out = path.join(work, "dropped");
      const run = await creatives(["generate", "--brief", briefFile, "--count", "4", "--out", out], { CREATIVES_SERVER: proxy.url });
      expect(run.stderr).toBe("");
      expect(proxy.dropped()).toBe(true);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/Connection lost: .*Reconnecting after event \d+ \(attempt 1\)/);
      for (const slot of ["1/4", "2/4", "3/4", "4/4"]) expect(run.stdout.match(new RegExp(`image  ${slot}: done`, "g"))).toHaveLength(1);
      expect(run.stdout).toContain("Run completed: 4 made, 0 failed");
      const saved = await savedIn(out);
      expect(saved.files).toEqual(["creatives.csv", "creatives.json", "lantern-tea-01.jpg", "lantern-tea-02.jpg", "lantern-tea-03.jpg", "lantern-tea-04.jpg"]);
    } finally {
      await proxy.close();
    }
  });

  it("refuses a brief the server would refuse, naming the field, and starts nothing", async () => {
    const bad = path.join(work, "bad-brief.json");
    writeFileSync(bad, JSON.stringify({ productName: "", productDescription: "x", targetAudience: "y", style: "cubist" }));
    const before = ((await (await fetch(`${app.url}/api/jobs`, { headers: { authorization: `Bearer ${token}` } })).json()) as { jobs: unknown[] }).jobs.length;
    const run = await creatives(["generate", "--brief", bad, "--count", "20"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("The brief is not valid");
    expect(run.stderr).toMatch(/productName: /);
    expect(run.stderr).toMatch(/style: style must be one of/);
    expect(run.stderr).toMatch(/count: count must be at most 8/);
    const after = ((await (await fetch(`${app.url}/api/jobs`, { headers: { authorization: `Bearer ${token}` } })).json()) as { jobs: unknown[] }).jobs.length;
    expect(after).toBe(before);
    expect((await creatives(["generate", "--brief", path.join(work, "missing.json")])).stderr).toContain("there is no such file");
  });

  it("says what to do without a token, with a bad one, and when the server is not there", async () => {
    const none = await creatives(["history"], { CREATIVES_TOKEN: "" });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/Make a token on the Workspace page and pass it with --token or CREATIVES_TOKEN/);
    const wrong = await creatives(["history", "--token", `acg_${"z".repeat(43)}`]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/revoked, or its owner left/);
    const closed = await freePort();
    const down = await creatives(["history", "--server", `http://127.0.0.1:${closed}`]);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain(`Cannot reach http://127.0.0.1:${closed}: ECONNREFUSED. Is the server running?`);
  });
});

describe("creatives history and download", () => {
  it("lists the workspace's runs and downloads one again into another folder", async () => {
    const history = await creatives(["history"]);
    expect(history.code).toBe(0);
    const lines = history.stdout.trim().split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines[0]).toMatch(/^[A-Za-z0-9_-]{16} .* done +4\/4 images +Lantern Tea: /);
    const jobId = lines[0]!.slice(0, 16);

    const out = path.join(work, "again");
    const download = await creatives(["download", jobId, "--out", out]);
    expect(download.code).toBe(0);
    const saved = await savedIn(out);
    expect(saved.manifest.jobId).toBe(jobId);
    expect(saved.files).toHaveLength(6);
    // Byte for byte what the run saved.
    expect(readFileSync(path.join(out, "lantern-tea-02.jpg")).equals(readFileSync(path.join(work, "dropped", "lantern-tea-02.jpg")))).toBe(true);

    const unknown = await creatives(["download", "AAAAAAAAAAAAAAAA"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("No job with that id");
    expect(existsSync(path.join(work, "creatives-AAAAAAAAAAAAAAAA"))).toBe(false);
  });

  it("never tried to leave loopback", () => {
    expect(readOutboundAttempts(guardLog)).toEqual([]);
  });
});

/**
 * A TCP proxy to the app on 127.0.0.1 that cuts the first run's stream once an image event has
 * passed through it (the client is then mid-run, with events still to come); later connections
 * pass untouched.
 */
async function dropOnce(appPort: string): Promise<{ url: string; dropped(): boolean; close(): Promise<void> }> {
  let dropped = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(appPort), "127.0.0.1");
    sockets.add(client).add(upstream);
    let isRun = false;
    let answer = "";
    client.on("data", (chunk: Buffer) => {
      if (chunk.toString("latin1").startsWith("POST /api/generate-images")) isRun = true;
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      client.write(chunk);
      if (!isRun || dropped) return;
      answer += chunk.toString("latin1");
      if (answer.includes("event: image")) {
        dropped = true;
        client.destroy();
        upstream.destroy();
      }
    });
    for (const [a, b] of [[client, upstream], [upstream, client]] as const) {
      a.on("end", () => b.end());
      a.on("error", () => b.destroy());
      a.on("close", () => sockets.delete(a));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    dropped: () => dropped,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
