import { appSuiteHooks } from "../support/app-suite";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unzip } from "../support/unzip";
import { makeTempDir, REPO_ROOT, removeDir, startApp, type AppServer } from "../support/app-server";
import { startFakeHuggingFace } from "../support/fakes/hf-endpoint";
import type { FakeProvider } from "../support/fakes/scripted-fake-server";
import { BRIEF, generate, type Run } from "../support/generation-client";
import { isSseComment, readSse } from "../support/sse-client";

const CANARY_HEX = randomBytes(16).toString("hex");
const CANARY = `hf_CANARY_${CANARY_HEX}`;

let hf: FakeProvider;
let app: AppServer;
let dataDir: string;

beforeAll(async () => {
  hf = await startFakeHuggingFace({ requireToken: CANARY });
  dataDir = makeTempDir("acg-security-");
  app = await startApp({
    HF_TOKEN: CANARY,
    HF_ENDPOINT_URL: `${hf.url}/models/sdxl`,
    DATA_DIR: dataDir,
    GENERATION_TIMEOUT_MS: "5000",
    JOB_ORPHAN_GRACE_MS: "1000",
  });
});

// Nothing may try to leave the machine; the app and its stand-ins stop after the suite.
appSuiteHooks(() => ({ app, standIns: [hf], dataDir }));

const headerText = (headers: Headers | http.IncomingHttpHeaders): string =>
  headers instanceof Headers ? JSON.stringify([...headers]) : JSON.stringify(headers);

/** Everything a client could see: status line, headers and body of each response, and the run streams. */
const seen: { what: string; text: string }[] = [];

async function fetchSeen(pathname: string, init?: RequestInit): Promise<Response> {
  const response = await fetch(app.url + pathname, { ...init, signal: AbortSignal.timeout(15_000) });
  const body = Buffer.from(await response.arrayBuffer());
  seen.push({ what: `${init?.method ?? "GET"} ${pathname}`, text: `${response.status} ${headerText(response.headers)}\n${body.toString("latin1")}` });
  return new Response(body, { status: response.status, headers: response.headers });
}

function recordRun(what: string, run: Run): void {
  seen.push({ what, text: `${headerText(run.response.headers)}\n${run.messages.map((m) => `${m.event ?? ""} ${m.data}`).join("\n")}\n${run.comments.join("\n")}` });
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield full;
  }
}

/** A request whose path is sent exactly as given (fetch would resolve dot segments first). */
function rawRequest(method: string, rawPath: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  const { hostname, port } = new URL(app.url);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: hostname, port: Number(port), method, path: rawPath, timeout: 10_000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on("error", reject);
    });
    request.on("timeout", () => request.destroy(new Error(`${method} ${rawPath.slice(0, 80)} timed out`)));
    request.on("error", reject);
    request.end();
  });
}

describe("the Hugging Face token (a canary) reaches the provider and nothing else", () => {
  it("is absent from every response, header and stream, including a failed run, history and job details", async () => {
    const ok = await generate(app.url, { count: 2, provider: "huggingface" });
    recordRun("successful run", ok);
    expect(ok.of("done")[0]).toMatchObject({ succeeded: 2, failed: 0 });

    hf.script({ kind: "status", status: 401 });
    const failed = await generate(app.url, { count: 1, provider: "huggingface" });
    recordRun("failed run", failed);
    expect(failed.of("error")[0]).toMatchObject({ code: "auth" });
    expect(failed.of("error")[0]!.message).toMatch(/HF_TOKEN/);

    // The provider did get the token, as a bearer token, on every request.
    expect(hf.requests).toHaveLength(3);
    for (const request of hf.requests) expect(request.headers.authorization).toBe(`Bearer ${CANARY}`);

    for (const page of ["/", "/history", "/api/jobs", "/api/jobs?limit=1"]) expect((await fetchSeen(page)).status).toBe(200);
    for (const run of [ok, failed]) {
      const jobId = run.of("start")[0]!.jobId;
      expect((await fetchSeen(`/api/jobs/${jobId}`)).status).toBe(200);
      expect((await fetchSeen(`/?job=${jobId}`)).status).toBe(200);
      // The replayed event log.
      const events = await fetch(`${app.url}/api/jobs/${jobId}/events`, { headers: { accept: "text/event-stream" }, signal: AbortSignal.timeout(15_000) });
      expect(events.status).toBe(200);
      const replay: string[] = [headerText(events.headers)];
      for await (const item of readSse(events)) replay.push(isSseComment(item) ? item.comment : `${item.event ?? ""} ${item.data}`);
      seen.push({ what: `replay of ${jobId}`, text: replay.join("\n") });
    }
    const image = ok.of("image")[0]!;
    for (const url of [image.url, image.rawUrl, image.thumbUrl, `${image.url}?download=1`]) expect((await fetchSeen(url)).status).toBe(200);

    // The zip's creatives.json lists provider and model: the token must not be among them.
    const okJob = ok.of("start")[0]!.jobId;
    const download = await fetchSeen(`/api/jobs/${okJob}/download`);
    expect(download.status).toBe(200);
    const files = await unzip(Buffer.from(await download.arrayBuffer()));
    expect(Object.keys(files)).toContain("creatives.json");
    for (const [name, bytes] of Object.entries(files)) seen.push({ what: `zip entry ${name}`, text: bytes.toString("latin1") });

    for (const response of seen) {
      expect(response.text, response.what).not.toContain(CANARY);
      expect(response.text, response.what).not.toContain(CANARY_HEX);
    }
  });

  it("is in no file the browser can be served from .next/static", () => {
    const root = path.join(REPO_ROOT, ".next", "static");
    let count = 0;
    for (const file of walk(root)) {
      const bytes = readFileSync(file);
      count++;
      expect(bytes.includes(CANARY_HEX), path.relative(root, file)).toBe(false);
    }
    expect(count).toBeGreaterThan(0);
  });
});

describe("path traversal and malformed ids", () => {
  const TRAVERSALS = [
    "../../../../etc/passwd",
    "..%2F..%2F..%2F..%2Fetc%2Fpasswd",
    "%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "%2E%2E/%2E%2E/%2E%2E/etc/passwd",
    "%252e%252e%252f%252e%252e%252fetc%252fpasswd",
    "..%252f..%252f..%252fetc%252fpasswd",
    encodeURIComponent("/etc/passwd"),
    "%2Fetc%2Fpasswd",
    "....//....//....//etc/passwd",
    "..\\..\\..\\..\\etc\\passwd",
    "..%5c..%5c..%5cetc%5cpasswd",
    "0123456789abcdef0123456789abcdef.png%00.txt",
    "%00",
    "abc%00..%2f..%2fetc%2fpasswd",
    "0123456789abcdef0123456789abcdef.png%2F..%2F..%2Fapp.db",
    "..%2Fapp.db",
    "..%2F..%2Fapp.db",
    "%2e%2e",
    "..",
    encodeURIComponent("file:///etc/passwd"),
    "a".repeat(8_000),
    `${"..%2F".repeat(500)}etc%2Fpasswd`,
    "AAAAAAAAAAAAAAA%2F",
  ];

  function expectRefusedSafely(response: { status: number; body: Buffer }, what: string): void {
    const text = response.body.toString("latin1");
    expect([400, 404], `${what} → ${response.status} ${text.slice(0, 200)}`).toContain(response.status);
    expect(text, what).not.toContain("root:");
    expect(text, what).not.toContain("SQLite format 3");
  }

  /**
   * Next answers some non-canonical paths (`//`, trailing `/`) with a 308 to their canonical form
   * before any route runs; follow those (same origin only, at most 3 hops) and judge the final answer.
   */
  async function requestFollowingNormalisation(method: string, rawPath: string): Promise<{ status: number; body: Buffer }> {
    let current = rawPath;
    for (let hop = 0; hop < 3; hop++) {
      const response = await rawRequest(method, current);
      const location = response.headers.location;
      if (response.status !== 308 || !location) return response;
      const target = new URL(location, app.url);
      expect(target.origin, `redirect of ${rawPath.slice(0, 80)}`).toBe(new URL(app.url).origin);
      current = `${target.pathname}${target.search}`;
    }
    throw new Error(`more than 3 redirects for ${rawPath.slice(0, 80)}`);
  }

  it("GET /api/images/{id} answers 400 or 404 and never a file outside the images folder", async () => {
    for (const id of TRAVERSALS) {
      const what = `GET /api/images/${id.slice(0, 80)}`;
      expectRefusedSafely(await requestFollowingNormalisation("GET", `/api/images/${id}`), what);
      expectRefusedSafely(await requestFollowingNormalisation("GET", `/api/images/${id}?download=1`), `${what}?download=1`);
    }
  });

  it("every /api/jobs/{id} route answers 400 or 404 to the same ids, reading and writing", async () => {
    const routes: [method: string, template: string][] = [
      ["GET", "/api/jobs/:id"],
      ["GET", "/api/jobs/:id/events"],
      ["GET", "/api/jobs/:id/download"],
      ["GET", "/api/jobs/:id/images/0/export"],
      ["POST", "/api/jobs/:id/cancel"],
      ["DELETE", "/api/jobs/:id"],
    ];
    for (const id of TRAVERSALS) {
      for (const [method, template] of routes) {
        const rawPath = template.replace(":id", id);
        expectRefusedSafely(await requestFollowingNormalisation(method, rawPath), `${method} ${rawPath.slice(0, 100)}`);
      }
    }
    // And the server is unharmed: history still lists the jobs of the first describe.
    const history = (await (await fetch(`${app.url}/api/jobs`)).json()) as { jobs: unknown[] };
    expect(history.jobs.length).toBeGreaterThan(0);
  });
});

describe("malformed percent-encoding in a dynamic segment", () => {
  const MALFORMED = ["%", "%zz", "%E0%A4%A", "abc%", "..%2F%", "%%2e%2e%2fetc%2fpasswd"];
  const PATHS = MALFORMED.flatMap((id) => [`/api/images/${id}`, `/api/jobs/${id}`, `/api/jobs/${id}/events`]);

  it("never serves a file or the database, and the server keeps serving", async () => {
    for (const rawPath of PATHS) {
      const response = await rawRequest("GET", rawPath);
      const text = response.body.toString("latin1");
      expect(response.status, rawPath).toBeGreaterThanOrEqual(400);
      expect(text, rawPath).not.toContain("root:");
      expect(text, rawPath).not.toContain("SQLite format 3");
    }
    expect((await fetch(`${app.url}/api/jobs`)).status).toBe(200);
  });

  // Next's own parameter decoding would answer these with a plain-text 500 (vercel/next.js#92527);
  // proxy.ts refuses them first.
  it("is answered with 400 or 404, never a 500", async () => {
    for (const rawPath of PATHS) {
      const response = await rawRequest("GET", rawPath);
      expect([400, 404], `${rawPath} → ${response.status}`).toContain(response.status);
    }
  });
});

describe("security headers on pages", () => {
  for (const page of ["/", "/history"]) {
    it(`${page} sends a CSP without unsafe-eval, nosniff, a referrer policy and X-Frame-Options: DENY`, async () => {
      const response = await fetch(app.url + page);
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      const csp = response.headers.get("content-security-policy");
      expect(csp).toBeTruthy();
      expect(csp).not.toContain("unsafe-eval");
      expect(csp).toMatch(/frame-ancestors 'none'/);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBeTruthy();
      expect(response.headers.get("x-frame-options")).toBe("DENY");
    });
  }
});

describe("rate limit on starting runs", () => {
  it("is off without RATE_LIMIT_RUNS_PER_MINUTE: five runs in a row all start and finish", async () => {
    for (let i = 0; i < 5; i++) {
      const run = await generate(app.url, { count: 1, provider: "builtin" });
      expect(run.response.status).toBe(200);
      expect(run.of("done")[0]).toMatchObject({ succeeded: 1 });
    }
  });

  describe("with RATE_LIMIT_RUNS_PER_MINUTE=2", () => {
    let limited: AppServer;
    let limitedDir: string;

    beforeAll(async () => {
      limitedDir = makeTempDir("acg-ratelimit-");
      // As behind a reverse proxy: the forwarded address names the client.
      limited = await startApp({ DATA_DIR: limitedDir, RATE_LIMIT_RUNS_PER_MINUTE: "2", TRUST_PROXY: "true" });
    });

    afterAll(async () => {
      await limited?.stop();
      if (limitedDir) removeDir(limitedDir);
    });

    it("starts two runs, answers the third with 429 + Retry-After, and still serves another client", async () => {
      const first = await generate(limited.url, { count: 1 });
      const second = await generate(limited.url, { count: 1 });
      for (const run of [first, second]) {
        expect(run.response.status).toBe(200);
        expect(run.of("done")[0]).toMatchObject({ succeeded: 1 });
      }

      const third = await fetch(`${limited.url}/api/generate-images`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...BRIEF, count: 1 }),
      });
      expect(third.status).toBe(429);
      const retryAfter = third.headers.get("retry-after");
      expect(retryAfter).toMatch(/^\d+$/);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(retryAfter)).toBeLessThanOrEqual(60);
      expect(third.headers.get("content-type")).toMatch(/^application\/json/);
      const body = (await third.json()) as { error?: unknown };
      expect(typeof body.error).toBe("string");
      expect(body.error as string).toMatch(/2 per minute/);

      // Reruns of a job start runs too, so they count against the same limit.
      const jobId = first.of("start")[0]!.jobId;
      const more = await fetch(`${limited.url}/api/jobs/${jobId}/images`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ action: "more", index: 0 }),
      });
      expect(more.status).toBe(429);
      expect(more.headers.get("retry-after")).toMatch(/^\d+$/);
      await more.arrayBuffer();

      // Another client behind the proxy (the header is only a label; nothing is sent to that address) has its own budget.
      const other = await generate(limited.url, { count: 1 }, { headers: { "x-forwarded-for": "10.0.0.2" } });
      expect(other.response.status).toBe(200);
      expect(other.of("done")[0]).toMatchObject({ succeeded: 1 });
    });
  });
});

describe("afterwards", () => {
  it("the canary is in no server log line, after every request above", () => {
    const logs = app.logs();
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(CANARY);
    expect(logs).not.toContain(CANARY_HEX);
  });
});
