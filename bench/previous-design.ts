/**
 * `BENCH_ONLY=design BENCH_PREVIOUS_ROOT=/path/to/checkout npm run bench`: this design against
 * another built checkout of the app (the previous design), in the same run, on the request path
 * a refactor of the edge and the use cases touches. The two apps take turns round by round, so
 * neither gets the quieter minutes of the machine.
 */
import { startApp, makeTempDir, removeDir, type AppServer } from "../tests/support/app-server";
import { BRIEF } from "../tests/support/generation-client";
import { readTimed } from "./stream-client";
import { median, percentile } from "./stats";

export interface DesignFigures {
  /** A run of 4 built-in creatives: request → done, ms. */
  run: number[];
  /** GET /api/jobs/{id}, GET /api/jobs and a refused POST: requests per second, and latency. */
  reads: Record<string, { perSecond: number; p50: number; p99: number }>;
  /** PATCH …/design re-compositing 4 creatives, ms. */
  edit: number[];
}

const ROUNDS = Number(process.env.BENCH_DESIGN_ROUNDS ?? 5);
const REQUESTS = Number(process.env.BENCH_DESIGN_REQUESTS ?? 1000);
const AT_ONCE = 8;

async function runOnce(app: AppServer): Promise<{ ms: number; jobId: string }> {
  const started = performance.now();
  const response = await fetch(`${app.url}/api/generate-images`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream" },
    body: JSON.stringify({ ...BRIEF, provider: "builtin", count: 4 }),
  });
  const { events } = await readTimed(response);
  const start = events.find((event) => event.event === "start");
  if (!events.some((event) => event.event === "done") || !start) throw new Error("the run did not finish");
  return { ms: performance.now() - started, jobId: (JSON.parse(start.data) as { jobId: string }).jobId };
}

async function hammer(request: () => Promise<Response>, expected: number): Promise<{ perSecond: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: AT_ONCE }, async () => {
      while (next++ < REQUESTS) {
        const t = performance.now();
        const response = await request();
        await response.arrayBuffer();
        if (response.status !== expected) throw new Error(`expected ${expected}, got ${response.status}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { perSecond: (REQUESTS / (performance.now() - started)) * 1000, latencies };
}

async function edit(app: AppServer, jobId: string, headline: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${app.url}/api/jobs/${jobId}/design`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ design: { headline } }) });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`edit answered ${response.status}`);
  return performance.now() - started;
}

export async function compareWithPreviousDesign(previousRoot: string): Promise<{ current: DesignFigures; previous: DesignFigures }> {
  const dirs = [makeTempDir("acg-bench-design-now-"), makeTempDir("acg-bench-design-before-")];
  const env = (dir: string) => ({ DATA_DIR: dir, IMAGE_PROVIDER: "builtin", RATE_LIMIT_RUNS_PER_MINUTE: "0", JOB_ORPHAN_GRACE_MS: "120000" });
  const apps = { current: await startApp(env(dirs[0]!)), previous: await startApp(env(dirs[1]!), { root: previousRoot }) };
  const figures = { current: empty(), previous: empty() };
  const samples: Record<"current" | "previous", Record<string, { perSecond: number[]; latencies: number[] }>> = { current: {}, previous: {} };
  try {
    for (const which of ["current", "previous"] as const) await runOnce(apps[which]); // warm up
    for (let round = 0; round < ROUNDS; round++) {
      for (const which of round % 2 === 0 ? (["current", "previous"] as const) : (["previous", "current"] as const)) {
        const app = apps[which];
        const { ms, jobId } = await runOnce(app);
        figures[which].run.push(ms);
        figures[which].edit.push(await edit(app, jobId, `Round ${round + 1} headline`));
        const reads: Record<string, [() => Promise<Response>, number]> = {
          "GET /api/jobs/{id}": [() => fetch(`${app.url}/api/jobs/${jobId}`), 200],
          "GET /api/jobs (history)": [() => fetch(`${app.url}/api/jobs?limit=20`), 200],
          "POST /api/generate-images refused (400, invalid field)": [() => fetch(`${app.url}/api/generate-images`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...BRIEF, count: 99 }) }), 400],
        };
        for (const [name, [request, status]] of Object.entries(reads)) {
          const measured = await hammer(request, status);
          const kept = (samples[which][name] ??= { perSecond: [], latencies: [] });
          kept.perSecond.push(measured.perSecond);
          kept.latencies.push(...measured.latencies);
        }
      }
    }
  } finally {
    await Promise.all([apps.current.stop(), apps.previous.stop()]);
    dirs.forEach(removeDir);
  }
  for (const which of ["current", "previous"] as const) {
    for (const [name, kept] of Object.entries(samples[which])) {
      figures[which].reads[name] = { perSecond: median(kept.perSecond), p50: percentile(kept.latencies, 50), p99: percentile(kept.latencies, 99) };
    }
  }
  return figures;
}

function empty(): DesignFigures {
  return { run: [], reads: {}, edit: [] };
}
