/**
 * `npm run bench`: every figure side by side with its baseline, measured in the same run,
 * against the built app (`next start`) and a local provider with controlled latency on 127.0.0.1.
 * Loops are bounded in count and time. Prints a Markdown table (also written to bench/latest.md).
 */
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "@playwright/test";
import sharp from "sharp";
import { makeTempDir, removeDir, startApp, type AppServer } from "../tests/support/app-server";
import { startCluster } from "../tests/support/distributed-cluster";
import { startAutomatic1111StandIn } from "../tests/support/fakes/automatic1111";
import { BRIEF as CAMPAIGN } from "../tests/support/generation-client";
import { measureAuthOverhead } from "./auth-overhead";
import { startNaiveBaseline } from "./naive-baseline";
import { profileOneImage } from "./profile-image";
import { startRealisticProvider } from "./realistic-provider";
import { measureVariantSets } from "./variant-set";
import { compareWithPreviousDesign } from "./previous-design";
import { fmt, median, percentile } from "./stats";
import { readTimed } from "./stream-client";

const L = Number(process.env.BENCH_LATENCY_MS ?? 1000);
const LOAD_LEVELS = (process.env.BENCH_LOAD_LEVELS ?? "100,500,1000").split(",").map(Number).filter((n) => n > 0);
const LOAD_LATENCY_MS = 500;
const REPEATS = 3;
const LOAD_TIME_LIMIT_MS = 180_000;
/** The load level measured against the main-thread baseline too. */
const BASELINE_LOAD_RUNS = 100;

const BRIEF = { ...CAMPAIGN, provider: "huggingface" };

interface Row {
  figure: string;
  ours: string;
  baseline: string;
  ratio: string;
  target: string;
  met: string;
}
const rows: Row[] = [];
/** Whether a phase runs: all of them, or the one BENCH_ONLY names. */
const phase = (name: "batch" | "screen" | "load" | "distributed" | "auth" | "variants") => !process.env.BENCH_ONLY || process.env.BENCH_ONLY === name;
/** The distributed mode's load: this many concurrent runs of 4 images, given up to 10 minutes. */
const DISTRIBUTED_RUNS = Number(process.env.BENCH_DISTRIBUTED_RUNS ?? 1000);
const DISTRIBUTED_TIME_LIMIT_MS = 600_000;
const row = (figure: string, ours: string, baseline: string, ratio: string, target: string, met: boolean | null) =>
  rows.push({ figure, ours, baseline, ratio, target, met: met === null ? "–" : met ? "yes" : "**no**" });

async function runOurs(app: AppServer, count: number, extra: Record<string, unknown> = {}) {
  const started = performance.now();
  const response = await fetch(`${app.url}/api/generate-images`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify({ ...BRIEF, count, ...extra }),
  });
  const { events, totalBytes } = await readTimed(response);
  const images = events.filter((e) => e.event === "image");
  const done = events.find((e) => e.event === "done");
  return {
    first: images[0] ? images[0].at - started : NaN,
    total: done ? done.at - started : NaN,
    images,
    totalBytes,
    errors: events.filter((e) => e.event === "error").length,
  };
}

async function runNaive(url: string, count: number) {
  const started = performance.now();
  const response = await fetch(`${url}/?count=${count}`);
  const { events, totalBytes } = await readTimed(response);
  const images = events.filter((e) => e.event === "image");
  return { first: images[0]!.at - started, total: events.at(-1)!.at - started, images, totalBytes };
}

function readMetrics(file: string): { p50Ms: number; p99Ms: number; maxMs: number; peakRssMb: number } {
  return JSON.parse(readFileSync(file, "utf8"));
}

interface LoadResult {
  added: number[];
  errors: number;
  /** What the errors said (distinct, with counts), so a figure with errors says which. */
  reasons: Map<string, number>;
  wallMs: number;
  imagesPerSecond: number;
  metrics: ReturnType<typeof readMetrics>;
}

/**
 * `runs` concurrent runs of 4 images; the server's event-loop histogram is reset first. Added
 * latency is measured from `from`: the provider's answer, or the moment the image was ready to
 * be announced (a worker's, in distributed mode), to the event in the client's hands.
 */
async function measureLoad(app: AppServer, metricsFile: string, runs: number, options: { timeLimitMs?: number; from?: "providerDoneAt" | "readyAt" } = {}): Promise<LoadResult> {
  const from = options.from ?? "providerDoneAt";
  app.process.kill("SIGUSR2");
  await new Promise((r) => setTimeout(r, 300));
  const deadline = AbortSignal.timeout(options.timeLimitMs ?? LOAD_TIME_LIMIT_MS);
  let errors = 0;
  let images = 0;
  const added: number[] = [];
  const reasons = new Map<string, number>();
  const fail = (reason: string) => {
    errors++;
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  };
  const startedAll = performance.now();
  await Promise.all(
    Array.from({ length: runs }, async () => {
      try {
        const response = await fetch(`${app.url}/api/generate-images`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ ...BRIEF, count: 4 }),
          signal: deadline,
        });
        if (!response.ok) {
          fail(`HTTP ${response.status}`);
          return;
        }
        const { events } = await readTimed(response);
        const wall = performance.timeOrigin;
        for (const event of events) {
          if (event.event === "error") fail((JSON.parse(event.data) as { message: string }).message);
          if (event.event !== "image") continue;
          images++;
          const data = JSON.parse(event.data) as { providerDoneAt?: number; readyAt?: number };
          const since = data[from];
          if (since) added.push(wall + event.at - since);
        }
        if (!events.some((e) => e.event === "done")) fail("the stream ended without done");
      } catch (error) {
        fail(error instanceof Error ? error.message : String(error));
      }
    }),
  );
  const wallMs = performance.now() - startedAll;
  await new Promise((r) => setTimeout(r, 400));
  return { added, errors, reasons, wallMs, imagesPerSecond: images / (wallMs / 1000), metrics: readMetrics(metricsFile) };
}

/** Marks the page leaves: the first pixels of a preview, the ad's <img> loaded. */
interface SlotMark {
  kind: "preview" | "ad";
  index: number;
  at: number;
  providerDoneAt?: number;
  readyAt?: number;
  previewKind?: "raw" | "partial";
}

async function slotMarks(page: import("@playwright/test").Page): Promise<SlotMark[]> {
  return page.evaluate(() =>
    performance
      .getEntriesByType("mark")
      .filter((m) => m.name.startsWith("creative-loaded-") || m.name.startsWith("creative-preview-"))
      .map((m) => {
        const detail = (m as PerformanceMark).detail as { readyAt?: number; providerDoneAt?: number; kind?: "raw" | "partial" };
        const ad = m.name.startsWith("creative-loaded-");
        return {
          kind: ad ? ("ad" as const) : ("preview" as const),
          index: Number(m.name.slice(m.name.lastIndexOf("-") + 1)),
          at: performance.timeOrigin + m.startTime,
          providerDoneAt: detail.providerDoneAt,
          readyAt: detail.readyAt,
          previewKind: ad ? undefined : detail.kind,
        };
      }),
  );
}

/** Generates `count` images with `provider` in a fresh page; the click time and the slots' marks. */
async function watchRun(browser: import("@playwright/test").Browser, app: AppServer, provider: RegExp, count: number): Promise<{ clickedAt: number; marks: SlotMark[] }> {
  const page = await browser.newPage();
  try {
    await page.goto(app.url);
    await page.getByRole("radio", { name: provider }).check();
    await page.getByLabel("Number of images").selectOption(String(count));
    const clickedAt = await page.evaluate(() => performance.timeOrigin + performance.now());
    await page.getByRole("button", { name: "Generate Creatives" }).click();
    await page.getByText(new RegExp(`^Done: ${count} of ${count} images?$`)).waitFor({ timeout: 60_000 });
    await page.waitForFunction((n) => performance.getEntriesByType("mark").filter((m) => m.name.startsWith("creative-loaded-")).length >= n, count, { timeout: 30_000 });
    return { clickedAt, marks: await slotMarks(page) };
  } finally {
    await page.close();
  }
}

/**
 * The built-in renderer and the compositor in process, each beside what it is compared with in the
 * same run: a scene without a packshot (a still life, #22) against one with (a pedestal), and a
 * logo that needs a plate (#22) against one that stands out on its own.
 */
async function inProcessRows(): Promise<void> {
  const { renderAdBackground, composeCreative } = await import("./in-process");
  const renderTimes: number[] = [];
  const stageTimes: number[] = [];
  for (let i = 0; i < 55; i++) {
    const options = { prompt: `bench ${i}`, seed: i, width: 1080, height: 1080, style: "photographic" as const, tone: "energetic" as const, productName: "Bench", variant: i % 4 };
    let started = performance.now();
    await renderAdBackground(options);
    if (i >= 5) renderTimes.push(performance.now() - started);
    started = performance.now();
    await renderAdBackground({ ...options, product: true });
    if (i >= 5) stageTimes.push(performance.now() - started);
  }
  row("Built-in renderer, 1080×1080 (median of 50)", `${fmt(median(renderTimes), 1)} ms`, "100 ms budget", `${fmt(median(renderTimes) / 100, 2)}×`, "well under 100 ms", median(renderTimes) < 100);
  row("Built-in renderer: no packshot (still life) vs a packshot (pedestal)", `${fmt(median(renderTimes), 1)} ms`, `${fmt(median(stageTimes), 1)} ms`, `${fmt(median(renderTimes) / median(stageTimes), 2)}×`, "–", null);
  const background = await renderAdBackground({ prompt: "compose", seed: 1, width: 1024, height: 1024, style: "photographic", tone: "energetic", productName: "Bench", variant: 0 });
  const cold: number[] = [];
  const warm: number[] = [];
  const { DEFAULT_DESIGN } = await import("../lib/design");
  for (let i = 0; i < 20; i++) {
    let started = performance.now();
    await composeCreative({ background, backgroundKey: `cold-${i}`, format: "instagram-square", design: DEFAULT_DESIGN, logo: null });
    cold.push(performance.now() - started);
    started = performance.now();
    await composeCreative({ background, backgroundKey: `cold-${i}`, format: "instagram-square", design: { ...DEFAULT_DESIGN, headline: `Edit ${i}` }, logo: null });
    warm.push(performance.now() - started);
  }
  row("Re-composite one creative after an edit (median of 20)", `${fmt(median(warm), 1)} ms`, `${fmt(median(cold), 1)} ms (first composite, cold crop)`, `${fmt(median(warm) / median(cold), 2)}×`, "well under 100 ms", median(warm) < 100);
  const logoIn = (colour: string) => sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100"><rect x="20" y="25" width="260" height="50" fill="${colour}"/></svg>`)).png().toBuffer();
  const [plated, standing] = [await logoIn(DEFAULT_DESIGN.primaryColor), await logoIn("#FFFFFF")];
  const withPlate: number[] = [];
  const withoutPlate: number[] = [];
  for (let i = 0; i < 20; i++) {
    let started = performance.now();
    await composeCreative({ background, backgroundKey: "logo", format: "instagram-square", design: { ...DEFAULT_DESIGN, headline: `Plate ${i}` }, logo: plated });
    withPlate.push(performance.now() - started);
    started = performance.now();
    await composeCreative({ background, backgroundKey: "logo", format: "instagram-square", design: { ...DEFAULT_DESIGN, headline: `Plain ${i}` }, logo: standing });
    withoutPlate.push(performance.now() - started);
  }
  row("Re-composite with a logo in the brand's colour (plated) vs one that stands out", `${fmt(median(withPlate), 1)} ms`, `${fmt(median(withoutPlate), 1)} ms`, `${fmt(median(withPlate) / median(withoutPlate), 2)}×`, "–", null);
}

async function main() {
  if (process.env.BENCH_ONLY === "render") {
    await inProcessRows();
    console.log(rows.map((r) => `| ${r.figure} | ${r.ours} | ${r.baseline} | ${r.ratio} | ${r.target} | ${r.met} |`).join("\n"));
    return;
  }
  if (process.env.BENCH_ONLY === "design") {
    const previousRoot = process.env.BENCH_PREVIOUS_ROOT;
    if (!previousRoot) throw new Error("BENCH_ONLY=design needs BENCH_PREVIOUS_ROOT: a built checkout of the design to compare with");
    const { current, previous } = await compareWithPreviousDesign(previousRoot);
    const ratio = (a: number, b: number) => `${fmt(a / b, 2)}×`;
    row("a run of 4 built-in creatives: request → done (median)", `${fmt(median(current.run))} ms`, `${fmt(median(previous.run))} ms previous design`, ratio(median(current.run), median(previous.run)), "≤ 1.05×", median(current.run) <= median(previous.run) * 1.05);
    row("PATCH design, 4 creatives re-composited (median)", `${fmt(median(current.edit))} ms`, `${fmt(median(previous.edit))} ms previous design`, ratio(median(current.edit), median(previous.edit)), "≤ 1.05×", median(current.edit) <= median(previous.edit) * 1.05);
    for (const [name, now] of Object.entries(current.reads)) {
      const before = previous.reads[name]!;
      row(`${name}, 8 at a time: requests per second`, `${fmt(now.perSecond)}/s`, `${fmt(before.perSecond)}/s previous design`, ratio(now.perSecond, before.perSecond), "≥ 0.95×", now.perSecond >= before.perSecond * 0.95);
      row(`${name}: latency p50 / p99`, `${fmt(now.p50, 1)} / ${fmt(now.p99, 1)} ms`, `${fmt(before.p50, 1)} / ${fmt(before.p99, 1)} ms`, "–", "–", null);
    }
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${fmt(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
    console.log(`Machine: ${machine}\n\n| figure | this design | previous design | ratio | target | met |\n|---|---|---|---|---|---|\n${rows.map((r) => `| ${r.figure} | ${r.ours} | ${r.baseline} | ${r.ratio} | ${r.target} | ${r.met} |`).join("\n")}`);
    return;
  }
  if (process.env.BENCH_ONLY === "profile") {
    const source = await startRealisticProvider(0);
    const profile = await profileOneImage(await source.png());
    await source.close();
    console.log(["| step (one 1024² PNG of 2.7 MB → stored ad) | median |", "|---|---|", ...profile.map((p) => `| ${p.step} | ${fmt(p.ms, 1)} ms |`)].join("\n"));
    return;
  }
  if (phase("variants")) {
    const { pictureOnly, offline, hosted } = await measureVariantSets();
    row("request → first creative of a 4-variant set with copy (all differ), offline templates", `${fmt(offline.first)} ms`, `${fmt(pictureOnly.first)} ms picture-only set`, `${fmt(offline.first / pictureOnly.first, 2)}×`, "–", null);
    row("request → whole 4-variant set with copy, offline templates", `${fmt(offline.total)} ms`, `${fmt(pictureOnly.total)} ms picture-only set`, `${fmt(offline.total / pictureOnly.total, 2)}×`, "–", null);
    row("request → first creative of a 4-variant set with copy, text model answering in 2 s", `${fmt(hosted.first)} ms`, `${fmt(offline.first)} ms offline templates`, `${fmt(hosted.first / offline.first, 2)}×`, "≤ 2 s + offline", hosted.first <= 2000 + offline.first + 250);
    row("request → whole 4-variant set with copy, text model answering in 2 s", `${fmt(hosted.total)} ms`, `${fmt(offline.total)} ms offline templates`, `${fmt(hosted.total / offline.total, 2)}×`, "–", null);
    if (process.env.BENCH_ONLY === "variants") {
      console.log(rows.map((r) => `| ${r.figure} | ${r.ours} | ${r.baseline} | ${r.ratio} | ${r.target} | ${r.met} |`).join("\n"));
      return;
    }
  }
  if (phase("auth")) {
    // Accounts' cost per request: the same requests with AUTH=off (the baseline) and AUTH=on.
    for (const { what, off, cookie, token } of await measureAuthOverhead()) {
      const label = `${what}, ${process.env.BENCH_AUTH_REQUESTS ?? 3000} requests, ${process.env.BENCH_AUTH_AT_ONCE ?? 16} at a time`;
      row(`${label}: requests per second`, `${fmt(cookie.perSecond)}/s session, ${fmt(token.perSecond)}/s token`, `${fmt(off.perSecond)}/s AUTH=off`, `${fmt(cookie.perSecond / off.perSecond, 2)}× / ${fmt(token.perSecond / off.perSecond, 2)}×`, "–", null);
      row(`${label}: latency p50 / p99`, `${fmt(cookie.p50, 1)} / ${fmt(cookie.p99, 1)} ms session, ${fmt(token.p50, 1)} / ${fmt(token.p99, 1)} ms token`, `${fmt(off.p50, 1)} / ${fmt(off.p99, 1)} ms`, "–", "–", null);
    }
    if (process.env.BENCH_ONLY === "auth") {
      console.log(rows.map((r) => `| ${r.figure} | ${r.ours} | ${r.baseline} | ${r.ratio} | ${r.target} | ${r.met} |`).join("\n"));
      return;
    }
  }
  const provider = await startRealisticProvider(L);
  // A GPU server that streams its steps: 20 steps over L ms, like a fast SDXL sampler.
  const gpu = await startAutomatic1111StandIn({ stepMs: L / 20 });
  const naive = await startNaiveBaseline(provider.url);
  const dataDir = makeTempDir("acg-bench-");
  const metricsFile = path.join(dataDir, "metrics.json");
  const appEnv = (dir: string, metrics: string) => ({
    HF_TOKEN: "hf_bench",
    HF_ENDPOINT_URL: provider.url,
    LOCAL_SD_URL: gpu.url,
    LOCAL_SD_STEPS: "20",
    DATA_DIR: dir,
    GENERATION_CONCURRENCY: "8",
    GENERATION_TIMEOUT_MS: "120000",
    JOB_ORPHAN_GRACE_MS: "120000",
    NODE_OPTIONS: `--require ${path.resolve("bench/loop-monitor.cjs")}`,
    BENCH_METRICS_FILE: metrics,
    ...(process.env.BENCH_UV_THREADPOOL_SIZE ? { UV_THREADPOOL_SIZE: process.env.BENCH_UV_THREADPOOL_SIZE } : {}),
    ...(process.env.BENCH_IMAGE_WORKERS ? { IMAGE_WORKERS: process.env.BENCH_IMAGE_WORKERS } : {}),
  });
  const app = await startApp(appEnv(dataDir, metricsFile));
  try {
    // Warm up both paths (JIT, sharp, fonts, SQLite).
    await runOurs(app, 2);
    await runNaive(naive.url, 1);

    // BENCH_ONLY=batch, screen or load: that phase alone, for working on one figure.
    if (phase("batch")) {
    // 1. Batch latency and 3. bytes.
    let bytesMeasured = false;
    for (const count of [4, 8]) {
      const ours = [];
      const base = [];
      for (let i = 0; i < REPEATS; i++) {
        ours.push(await runOurs(app, count));
        base.push(await runNaive(naive.url, count));
      }
      const oursFirst = median(ours.map((r) => r.first));
      const oursTotal = median(ours.map((r) => r.total));
      const baseFirst = median(base.map((r) => r.first));
      const baseTotal = median(base.map((r) => r.total));
      row(`N=${count}, L=${L} ms: first image`, `${fmt(oursFirst)} ms`, `${fmt(baseFirst)} ms`, `${fmt(oursFirst / baseFirst, 2)}×`, "–", null);
      const target = 1.05 * L + 50;
      row(`N=${count}, L=${L} ms: all done`, `${fmt(oursTotal)} ms`, `${fmt(baseTotal)} ms`, `${fmt(oursTotal / baseTotal, 2)}×`, `≤ ${fmt(target)} ms`, oursTotal <= target);

      if (!bytesMeasured) {
        bytesMeasured = true;
        const run = ours.at(-1)!;
        const perImageEvent = median(run.images.map((e) => e.frameBytes));
        const naiveEvent = median(base.at(-1)!.images.map((e) => e.frameBytes));
        const png = await provider.pngBytes();
        row("SSE bytes per image event", `${fmt(perImageEvent)} B`, `${fmt(naiveEvent)} B (base64 inline)`, `${fmt(perImageEvent / naiveEvent, 4)}×`, "≤ 2048 B", perImageEvent <= 2048);
        row("SSE bytes per image (whole stream / N)", `${fmt(run.totalBytes / count)} B`, `${fmt(png)} B (the PNG)`, `${fmt(run.totalBytes / count / png, 4)}×`, "–", null);
      }
    }

    }

    if (phase("screen")) {
    // 2. On screen: provider finished → <img> load in Chromium.
    provider.setLatency(L);
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    const onScreen: number[] = [];
    const readyToScreen: number[] = [];
    const rawFirstPixels: number[] = [];
    const hfFirstPixels: number[] = [];
    const hfAd: number[] = [];
    const gpuFirstPixels: number[] = [];
    const gpuAd: number[] = [];
    const singleFirstPixels: number[] = [];
    const singleAd: number[] = [];
    try {
      for (let i = 0; i < REPEATS; i++) {
        // A provider that streams nothing (Hugging Face): the raw picture is the first pixels.
        const hf = await watchRun(browser, app, /Hugging Face/, 4);
        for (const index of [0, 1, 2, 3]) {
          const ad = hf.marks.find((m) => m.kind === "ad" && m.index === index);
          const preview = hf.marks.find((m) => m.kind === "preview" && m.index === index);
          if (ad?.providerDoneAt) onScreen.push(ad.at - ad.providerDoneAt);
          if (ad?.readyAt) readyToScreen.push(ad.at - ad.readyAt);
          if (!ad) continue;
          // First pixels: the raw preview, or the ad itself if it was ready before the preview painted.
          const first = Math.min(ad.at, preview?.at ?? Infinity);
          if (ad.providerDoneAt) rawFirstPixels.push(first - ad.providerDoneAt);
          hfAd.push(ad.at - hf.clickedAt);
          hfFirstPixels.push(first - hf.clickedAt);
        }
        // One picture alone: no other picture competes for the 2 cores.
        const single = await watchRun(browser, app, /Hugging Face/, 1);
        const singleAdMark = single.marks.find((m) => m.kind === "ad" && m.index === 0);
        const singlePreview = single.marks.find((m) => m.kind === "preview" && m.index === 0);
        if (singleAdMark?.providerDoneAt) {
          singleFirstPixels.push(Math.min(singleAdMark.at, singlePreview?.at ?? Infinity) - singleAdMark.providerDoneAt);
          singleAd.push(singleAdMark.at - singleAdMark.providerDoneAt);
        }
        // A provider that streams its steps (an AUTOMATIC1111 server): one image, steps on screen.
        const local = await watchRun(browser, app, /Your GPU server/, 1);
        const ad = local.marks.find((m) => m.kind === "ad" && m.index === 0);
        const firstPreview = local.marks.filter((m) => m.kind === "preview" && m.index === 0).sort((a, b) => a.at - b.at)[0];
        if (ad) gpuAd.push(ad.at - local.clickedAt);
        if (firstPreview) gpuFirstPixels.push(firstPreview.at - local.clickedAt);
      }
    } finally {
      await browser.close();
    }
    row("On screen: provider done → first pixels of the slot (raw preview, p50)", `${fmt(median(rawFirstPixels))} ms`, `${fmt(median(onScreen))} ms (the ad's <img>, as before)`, `${fmt(median(rawFirstPixels) / median(onScreen), 2)}×`, "≤ 50 ms", median(rawFirstPixels) <= 50);
    row("On screen: provider done → first pixels (raw preview, p99)", `${fmt(percentile(rawFirstPixels, 99))} ms`, `${fmt(percentile(onScreen, 99))} ms (the ad's <img>)`, "–", "–", null);
    row("On screen, N=1: provider done → first pixels (raw preview, median)", `${fmt(median(singleFirstPixels))} ms`, `${fmt(median(singleAd))} ms (the ad's <img>)`, `${fmt(median(singleFirstPixels) / median(singleAd), 2)}×`, "≤ 50 ms", median(singleFirstPixels) <= 50);
    row("On screen: provider done → the ad's <img> load (p50)", `${fmt(median(onScreen))} ms`, "–", "–", "–", null);
    row("On screen: event ready → the ad's <img> load (p50)", `${fmt(median(readyToScreen))} ms`, "–", "–", "–", null);
    row(`Time to first pixels, no step previews (Hugging Face, N=4, L=${L} ms, p50)`, `${fmt(median(hfFirstPixels))} ms`, `${fmt(median(hfAd))} ms (to the ad)`, `${fmt(median(hfFirstPixels) / median(hfAd), 2)}×`, "–", null);
    row(`Time to first pixels, step previews (GPU server, 20 steps in ${L} ms, median)`, `${fmt(median(gpuFirstPixels))} ms`, `${fmt(median(gpuAd))} ms (to the ad)`, `${fmt(median(gpuFirstPixels) / median(gpuAd), 2)}×`, "–", null);

    }

    if (phase("load")) {
    // 4. Load: K concurrent runs of 4 images at 500 ms provider latency, on the image workers and,
    // as the baseline, on the main thread (IMAGE_WORKERS=0: the previous design) in the same run.
    provider.setLatency(LOAD_LATENCY_MS);
    const baselineDir = makeTempDir("acg-bench-main-thread-");
    const baselineMetrics = path.join(baselineDir, "metrics.json");
    const mainThread = await startApp({ ...appEnv(baselineDir, baselineMetrics), IMAGE_WORKERS: "0" });
    let baselineLoad: LoadResult;
    try {
      await runOurs(mainThread, 2);
      baselineLoad = await measureLoad(mainThread, baselineMetrics, BASELINE_LOAD_RUNS);
    } finally {
      await mainThread.stop();
      removeDir(baselineDir);
    }
    for (const runs of LOAD_LEVELS) {
      const load = await measureLoad(app, metricsFile, runs);
      const p99 = percentile(load.added, 99);
      if (runs === BASELINE_LOAD_RUNS) {
        const ratio = load.imagesPerSecond / baselineLoad.imagesPerSecond;
        row(
          `Load ${runs} runs × 4 images, L=${LOAD_LATENCY_MS} ms: images per second`,
          `${fmt(load.imagesPerSecond, 1)}/s (${fmt(load.wallMs / 1000, 1)} s)`,
          `${fmt(baselineLoad.imagesPerSecond, 1)}/s (${fmt(baselineLoad.wallMs / 1000, 1)} s), main thread`,
          `${fmt(ratio, 2)}×`,
          "≥ 2×",
          ratio >= 2,
        );
        row(
          `Load ${runs}: event-loop delay p99 / max`,
          `${fmt(load.metrics.p99Ms, 1)} / ${fmt(load.metrics.maxMs, 1)} ms`,
          `${fmt(baselineLoad.metrics.p99Ms, 1)} / ${fmt(baselineLoad.metrics.maxMs, 1)} ms, main thread`,
          `${fmt(load.metrics.p99Ms / baselineLoad.metrics.p99Ms, 2)}×`,
          "p99 ≤ 20 ms, max ≤ 50 ms",
          load.metrics.p99Ms <= 20 && load.metrics.maxMs <= 50,
        );
      }
      row(
        `Load ${runs} runs × 4 images, L=${LOAD_LATENCY_MS} ms: added latency p50 / p99`,
        `${fmt(median(load.added))} / ${fmt(p99)} ms`,
        runs === BASELINE_LOAD_RUNS ? `${fmt(median(baselineLoad.added))} / ${fmt(percentile(baselineLoad.added, 99))} ms, main thread` : "–",
        "–",
        runs === 1000 ? "p99 < 50 ms, 0 errors" : "–",
        runs === 1000 ? p99 < 50 && load.errors === 0 : null,
      );
      row(
        `Load ${runs}: errors, wall time, event-loop delay p99 / max, peak RSS`,
        `${load.errors} errors, ${fmt(load.wallMs / 1000, 1)} s, ${fmt(load.metrics.p99Ms, 1)} / ${fmt(load.metrics.maxMs, 1)} ms, ${fmt(load.metrics.peakRssMb)} MB`,
        runs === BASELINE_LOAD_RUNS ? `${baselineLoad.errors} errors, ${fmt(baselineLoad.metrics.peakRssMb)} MB, main thread` : "–",
        "–",
        "–",
        null,
      );
    }
    }

    if (phase("distributed")) {
    // 5. The distributed mode: a web instance, one then two workers, on a real Postgres, Redis and
    // S3-compatible server, all on this machine. The same load at 500 ms, with enough time.
    provider.setLatency(LOAD_LATENCY_MS);
    const webMetrics = path.join(makeTempDir("acg-bench-web-"), "metrics.json");
    const cluster = await startCluster({
      webs: 0,
      workers: 0,
      env: { HF_TOKEN: "hf_bench", HF_ENDPOINT_URL: provider.url, GENERATION_TIMEOUT_MS: "120000", JOB_ORPHAN_GRACE_MS: "600000", WORKER_STALLED_MS: "30000" },
    });
    try {
      const web = await cluster.startWeb({ NODE_OPTIONS: `--require ${path.resolve("bench/loop-monitor.cjs")}`, BENCH_METRICS_FILE: webMetrics });
      // The path itself, on an idle machine: one run at a time, one worker.
      await cluster.startWorker();
      await runOurs(web, 2);
      const light: number[] = [];
      for (let i = 0; i < 10; i++) {
        for (const image of (await runOurs(web, 4)).images) {
          const { readyAt } = JSON.parse(image.data) as { readyAt: number };
          light.push(performance.timeOrigin + image.at - readyAt);
        }
      }
      row(
        "Distributed, one run of 4 at a time (10 runs): added latency p50 / p99, worker announcing → client",
        `${fmt(median(light))} / ${fmt(percentile(light, 99))} ms`,
        "–",
        "–",
        "p99 < 50 ms",
        percentile(light, 99) < 50,
      );
      const results: LoadResult[] = [];
      for (const workers of [1, 2]) {
        while (cluster.workers.length < workers) await cluster.startWorker();
        await runOurs(web, 2);
        results.push(await measureLoad(web, webMetrics, DISTRIBUTED_RUNS, { timeLimitMs: DISTRIBUTED_TIME_LIMIT_MS, from: "readyAt" }));
      }
      const [one, two] = results as [LoadResult, LoadResult];
      const label = `Distributed, ${DISTRIBUTED_RUNS} runs × 4 images, L=${LOAD_LATENCY_MS} ms`;
      row(`${label}: images per second`, `${fmt(two.imagesPerSecond, 1)}/s (${fmt(two.wallMs / 1000, 1)} s), 2 workers`, `${fmt(one.imagesPerSecond, 1)}/s (${fmt(one.wallMs / 1000, 1)} s), 1 worker`, `${fmt(two.imagesPerSecond / one.imagesPerSecond, 2)}×`, "–", null);
      const said = (result: LoadResult) => [...result.reasons].map(([reason, count]) => ` (${count}× "${reason.slice(0, 120)}")`).join("");
      row(`${label}: errors`, `${two.errors}, 2 workers${said(two)}`, `${one.errors}, 1 worker${said(one)}`, "–", "0", two.errors === 0 && one.errors === 0);
      row(
        `${label}: added latency p50 / p99, worker announcing → client`,
        `${fmt(median(two.added))} / ${fmt(percentile(two.added, 99))} ms, 2 workers`,
        `${fmt(median(one.added))} / ${fmt(percentile(one.added, 99))} ms, 1 worker`,
        "–",
        "p99 < 50 ms",
        percentile(two.added, 99) < 50 && percentile(one.added, 99) < 50,
      );
      row(
        `${label}: web event-loop delay p99 / max, peak RSS`,
        `${fmt(two.metrics.p99Ms, 1)} / ${fmt(two.metrics.maxMs, 1)} ms, ${fmt(two.metrics.peakRssMb)} MB, 2 workers`,
        `${fmt(one.metrics.p99Ms, 1)} / ${fmt(one.metrics.maxMs, 1)} ms, ${fmt(one.metrics.peakRssMb)} MB, 1 worker`,
        "–",
        "–",
        null,
      );
    } finally {
      await cluster.stop();
    }
    }
  } finally {
    await app.stop();
    await naive.close();
    await provider.close();
    await gpu.close();
    removeDir(dataDir);
  }

  if (process.env.BENCH_ONLY) {
    console.log(rows.map((r) => `| ${r.figure} | ${r.ours} | ${r.baseline} | ${r.ratio} | ${r.target} | ${r.met} |`).join("\n"));
    return;
  }

  // 5. Renderer and compositor, in process.
  await inProcessRows();

  // 6. One image, step by step (bench/profile-image.ts).
  const profileSource = await startRealisticProvider(0);
  const profile = await profileOneImage(await profileSource.png());
  await profileSource.close();
  const profileTable = ["| step (one 1024² PNG of 2.7 MB → stored ad) | median |", "|---|---|", ...profile.map((p) => `| ${p.step} | ${fmt(p.ms, 1)} ms |`)].join("\n");

  const header = `| figure | ours | baseline | ratio | target | met |\n|---|---|---|---|---|---|`;
  const table = [header, ...rows.map((r) => `| ${r.figure} | ${r.ours} | ${r.baseline} | ${r.ratio} | ${r.target} | ${r.met} |`)].join("\n");
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${fmt(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
  const output = `Machine: ${machine}\n\n${table}\n\n${profileTable}\n`;
  writeFileSync("bench/latest.md", output);
  console.log(`\n${output}`);
  void sharp;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
