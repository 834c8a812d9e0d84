/**
 * #22's figure: from the request to the first creative, and to the whole set, of a 4-creative
 * set that differs in everything (three angles' copy written first), with the offline templates
 * and with a Hugging Face chat stand-in that takes 2 s to answer; beside a picture-only set (no
 * copy to write) on the same app, in the same run. Pictures come from the built-in renderer, so
 * the difference is the copy writer's.
 */
import { makeTempDir, removeDir, startApp } from "../tests/support/app-server";
import { startHuggingFaceStandIn } from "../tests/support/fakes/hugging-face";
import { STAND_IN_MODELS } from "../tests/support/fakes/hub-models";
import { BRIEF } from "../tests/support/generation-client";
import { median } from "./stats";
import { readTimed } from "./stream-client";

const TOKEN = "hf_benchVariantToken0123456789";
const REPEATS = Number(process.env.BENCH_VARIANT_REPEATS ?? 5);
const TEXT_LATENCY_MS = 2000;

export interface VariantSetFigures {
  pictureOnly: { first: number; total: number };
  offline: { first: number; total: number };
  hosted: { first: number; total: number };
}

async function timeRun(url: string, variants: "picture" | "all"): Promise<{ first: number; total: number }> {
  const started = performance.now();
  const response = await fetch(`${url}/api/generate-images`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify({ ...BRIEF, provider: "builtin", count: 4, variants }),
  });
  if (!response.ok) throw new Error(`run answered ${response.status}: ${await response.text()}`);
  const { events } = await readTimed(response);
  const first = events.find((event) => event.event === "image");
  const done = events.find((event) => event.event === "done");
  if (!first || !done || events.some((event) => event.event === "error")) throw new Error("a bench run did not finish cleanly");
  return { first: first.at - started, total: done.at - started };
}

const medians = (runs: { first: number; total: number }[]) => ({ first: median(runs.map((run) => run.first)), total: median(runs.map((run) => run.total)) });

export async function measureVariantSets(): Promise<VariantSetFigures> {
  const hf = await startHuggingFaceStandIn({ models: STAND_IN_MODELS, tokens: { [TOKEN]: { name: "bench", role: "fineGrained", permissions: ["inference.serverless.write"] } } });
  const dirs = [makeTempDir("acg-bench-variants-"), makeTempDir("acg-bench-variants-")];
  const [offlineApp, hostedApp] = await Promise.all([
    startApp({ DATA_DIR: dirs[0]!, IMAGE_PROVIDER: "builtin" }),
    startApp({ DATA_DIR: dirs[1]!, IMAGE_PROVIDER: "builtin", HF_TOKEN: TOKEN, HF_HUB_URL: hf.hubUrl, HF_ROUTER_URL: hf.routerUrl }),
  ]);
  try {
    // Warm both apps (JIT, fonts, the renderer).
    await timeRun(offlineApp.url, "all");
    await timeRun(hostedApp.url, "picture");
    const pictureOnly = [];
    const offline = [];
    const hosted = [];
    for (let i = 0; i < REPEATS; i++) {
      pictureOnly.push(await timeRun(offlineApp.url, "picture"));
      offline.push(await timeRun(offlineApp.url, "all"));
      // Three angles are written at once, each answered after 2 s.
      hf.scriptChat(...Array.from({ length: 3 }, () => ({ latencyMs: TEXT_LATENCY_MS })));
      hosted.push(await timeRun(hostedApp.url, "all"));
    }
    if (hf.of("router", "/v1/chat/completions").length < 3 * REPEATS) throw new Error("the hosted app did not ask the text stand-in for its copy");
    return { pictureOnly: medians(pictureOnly), offline: medians(offline), hosted: medians(hosted) };
  } finally {
    await Promise.all([offlineApp.stop(), hostedApp.stop()]);
    await hf.close();
    for (const dir of dirs) removeDir(dir);
  }
}
