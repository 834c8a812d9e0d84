import http from "node:http";
import { beforeAll, describe, expect, it } from "vitest";
import { appSuiteHooks } from "../support/app-suite";
import { makeTempDir, startApp, type AppServer } from "../support/app-server";
import { generate } from "../support/generation-client";
import { treeCpuSeconds, treeOpenFiles } from "../support/process-usage";

/**
 * Issue #21, the server: what an attacker found against the built app with accounts off (the
 * default on loopback), each reproduced: DNS rebinding, SVG filters that burn minutes of CPU,
 * and HEAD on a zip that leaks file handles.
 */

let app: AppServer;
let dataDir: string;

beforeAll(async () => {
  dataDir = makeTempDir("acg-server-holes-");
  app = await startApp({ DATA_DIR: dataDir, GENERATION_TIMEOUT_MS: "10000" });
});

appSuiteHooks(() => ({ app, dataDir }));

/** A request with the headers exactly as given (fetch will not send a Host of our choosing). */
function rawRequest(method: string, pathname: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: "127.0.0.1", port: app.port, method, path: pathname, headers, timeout: 15_000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString("utf8") }));
      response.on("error", reject);
    });
    request.on("timeout", () => request.destroy(new Error(`${method} ${pathname} timed out`)));
    request.on("error", reject);
    request.end(body);
  });
}

describe("#21.6 DNS rebinding: with accounts off, only loopback names and addresses are served", () => {
  const rebound = () => `rebind.attacker.example:${app.port}`;

  it("a page of another name, even one that resolves here, reads nothing: 403 JSON saying why", async () => {
    const headers = { host: rebound(), origin: `http://${rebound()}` };
    for (const pathname of ["/api/jobs", "/", "/history", "/api/providers", "/api/openapi.json"]) {
      const answer = await rawRequest("GET", pathname, headers);
      expect(answer.status, pathname).toBe(403);
      expect(answer.headers["content-type"], pathname).toMatch(/application\/json/);
      const { error } = JSON.parse(answer.text) as { error: string };
      expect(error, pathname).toMatch(/rebind\.attacker\.example/);
      expect(error, pathname).toMatch(/localhost/);
    }
  });

  it("and starts or deletes nothing", async () => {
    const headers = { host: rebound(), origin: `http://${rebound()}`, "content-type": "application/json" };
    const started = await rawRequest("POST", "/api/generate-images", headers, JSON.stringify({ productName: "Stolen", productDescription: "x", targetAudience: "y", count: 1 }));
    expect(started.status).toBe(403);
    const run = await generate(app.url, { count: 1 });
    const jobId = run.of("start")[0]!.jobId;
    expect((await rawRequest("DELETE", `/api/jobs/${jobId}`, headers)).status).toBe(403);
    expect((await fetch(`${app.url}/api/jobs/${jobId}`)).status).toBe(200);
    const jobs = (await (await fetch(`${app.url}/api/jobs`)).json()) as { jobs: { productName: string }[] };
    expect(jobs.jobs.map((job) => job.productName)).not.toContain("Stolen");
  });

  it("localhost, its subdomains and IP addresses are served as before", async () => {
    for (const host of [`localhost:${app.port}`, `LOCALHOST:${app.port}`, `app.localhost:${app.port}`, `127.0.0.1:${app.port}`, `[::1]:${app.port}`, `10.1.2.3:${app.port}`, "localhost"]) {
      expect((await rawRequest("GET", "/api/jobs", { host })).status, host).toBe(200);
    }
  });
});

/** A few hundred bytes of SVG that ask for a huge canvas filtered over and over. */
function filterBomb(copies: number, canvas = 3100): string {
  const uses = Array.from({ length: copies }, (_, n) => `<use href="#a" x="${n % 7}"/>`).join("");
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${canvas}" height="${canvas}"><defs>` +
    `<filter id="f"><feTurbulence baseFrequency="0.9" numOctaves="8"/><feMorphology operator="dilate" radius="40"/><feGaussianBlur stdDeviation="90"/></filter>` +
    `<rect id="a" width="${canvas}" height="${canvas}" filter="url(#f)"/></defs>${uses}</svg>`
  );
}

describe("#21.7 an SVG logo gets 3 seconds to draw, for real", () => {
  /** The logo budget (LOGO_TIME_BUDGET_S) and what starting the drawing process may add to it. */
  const BUDGET_CPU_SECONDS = 3 + 1.5;

  async function uploadMeasured(svg: string, abortAfterMs?: number): Promise<{ status?: number; error?: string; cpuSeconds: number }> {
    const before = treeCpuSeconds(app.process.pid!);
    let status: number | undefined;
    let error: string | undefined;
    try {
      const response = await fetch(`${app.url}/api/logos`, { method: "POST", body: svg, signal: abortAfterMs ? AbortSignal.timeout(abortAfterMs) : AbortSignal.timeout(30_000) });
      status = response.status;
      error = ((await response.json()) as { error?: string }).error;
    } catch {
      // the client left, as an attacker's would
    }
    // Whatever still runs after the answer (or after the client left) counts too: wait it out.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    return { status, error, cpuSeconds: treeCpuSeconds(app.process.pid!) - before };
  }

  it.each([20, 150])("%i filtered copies of a 3100 px canvas: answered within the budget's CPU, drawn or refused", async (copies) => {
    const svg = filterBomb(copies);
    expect(svg.length).toBeLessThan(8_000);
    const result = await uploadMeasured(svg);
    expect([201, 400], JSON.stringify(result)).toContain(result.status);
    expect(result.cpuSeconds, JSON.stringify(result)).toBeLessThanOrEqual(BUDGET_CPU_SECONDS);
  });

  it("the client leaving does not leave the drawing running", async () => {
    const result = await uploadMeasured(filterBomb(150), 300);
    expect(result.cpuSeconds, JSON.stringify(result)).toBeLessThanOrEqual(BUDGET_CPU_SECONDS);
  });

  it("a logo with an ordinary drop shadow still uploads", async () => {
    const svg =
      `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="80" viewBox="0 0 240 80"><defs><filter id="s"><feDropShadow dx="2" dy="2" stdDeviation="2"/></filter></defs>` +
      `<rect x="8" y="8" width="224" height="64" rx="12" fill="#1F2A44" filter="url(#s)"/><circle cx="40" cy="40" r="18" fill="#F4B400"/></svg>`;
    const response = await fetch(`${app.url}/api/logos`, { method: "POST", body: svg });
    expect(response.status, await response.clone().text()).toBe(201);
    const { width, height } = (await response.json()) as { width: number; height: number };
    expect(Math.max(width, height)).toBe(600);
  });
});

describe("#21.8 HEAD on a zip download opens no file", () => {
  it("40 HEADs leave the descriptor count where it was, and each says what GET would send", async () => {
    const run = await generate(app.url, { count: 2 });
    const jobId = run.of("start")[0]!.jobId;
    const pid = app.process.pid!;
    // One GET first, read to the end, so whatever the first download opens for good (a module, a pool) is open already.
    await (await fetch(`${app.url}/api/jobs/${jobId}/download`)).arrayBuffer();
    const before = treeOpenFiles(pid, dataDir);
    for (let n = 0; n < 40; n++) {
      const response = await fetch(`${app.url}/api/jobs/${jobId}/download`, { method: "HEAD" });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/zip");
      expect(response.headers.get("content-disposition")).toMatch(/attachment; filename=".+-creatives\.zip"/);
    }
    const after = treeOpenFiles(pid, dataDir);
    expect(after.inFolder, `files of DATA_DIR open: ${before.inFolder} before, ${after.inFolder} after`).toBeLessThanOrEqual(before.inFolder);
    expect(after.descriptors - before.descriptors, JSON.stringify({ before, after })).toBeLessThan(8);
  });
});
