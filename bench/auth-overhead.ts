/**
 * What accounts cost per request: the same requests against the built app with AUTH=off and
 * with AUTH=on (a session cookie, then an API token), side by side in one run. Each request
 * with accounts reads the session (or the token) and the file's or job's workspace first.
 * Bounded: a fixed number of requests, a fixed number at a time.
 */
import { makeTempDir, removeDir, startApp, type AppServer } from "../tests/support/app-server";
import { sendAs, signUp } from "../tests/support/accounts-client";
import { generate } from "../tests/support/generation-client";
import { median, percentile } from "./stats";

const REQUESTS = Number(process.env.BENCH_AUTH_REQUESTS ?? 3000);
const AT_ONCE = Number(process.env.BENCH_AUTH_AT_ONCE ?? 16);

export interface Measured {
  perSecond: number;
  p50: number;
  p99: number;
}

async function hammer(url: string, headers: Record<string, string>): Promise<Measured> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: AT_ONCE }, async () => {
      while (next < REQUESTS) {
        next += 1;
        const sent = performance.now();
        const response = await fetch(url, { headers });
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`${url} answered ${response.status}`);
        latencies.push(performance.now() - sent);
      }
    }),
  );
  return { perSecond: (REQUESTS * 1000) / (performance.now() - started), p50: median(latencies), p99: percentile(latencies, 99) };
}

/** A thumbnail and the history, as each kind of caller asks for them. */
export async function measureAuthOverhead(): Promise<{ what: string; off: Measured; cookie: Measured; token: Measured }[]> {
  const dirs = [makeTempDir("acg-bench-off-"), makeTempDir("acg-bench-on-")];
  const apps: AppServer[] = [];
  try {
    const off = await startApp({ DATA_DIR: dirs[0]! });
    apps.push(off);
    const on = await startApp({ DATA_DIR: dirs[1]!, AUTH: "on", AUTH_SECRET: "bench-secret-0123456789abcdef0123456789" });
    apps.push(on);
    const owner = await signUp(on.url, { name: "Bench Owner", email: "bench@example.com" });
    const token = ((await (await sendAs(on.url, owner, "POST", "/api/tokens", { name: "bench" })).json()) as { token: string }).token;
    const thumbOf = async (app: AppServer, headers: Record<string, string>) => {
      const run = await generate(app.url, { provider: "builtin", count: 4 }, { headers });
      return new URL(run.of("image")[0]!.thumbUrl, app.url).pathname;
    };
    const thumbOff = await thumbOf(off, {});
    const thumbOn = await thumbOf(on, { authorization: `Bearer ${token}` });
    const results = [];
    for (const [what, pathOff, pathOn] of [
      ["GET a thumbnail (/api/images/{id})", thumbOff, thumbOn],
      ["GET the history (/api/jobs)", "/api/jobs", "/api/jobs"],
    ] as const) {
      // Warm up each path once, then measure.
      await hammer(off.url + pathOff, {});
      results.push({
        what,
        off: await hammer(off.url + pathOff, {}),
        cookie: await hammer(on.url + pathOn, { cookie: owner.cookie }),
        token: await hammer(on.url + pathOn, { authorization: `Bearer ${token}` }),
      });
    }
    return results;
  } finally {
    for (const app of apps) await app.stop();
    for (const dir of dirs) removeDir(dir);
  }
}
