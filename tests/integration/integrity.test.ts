import { rmSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { appSuiteHooks } from "../support/app-suite";
import { makeTempDir, startApp, type AppServer } from "../support/app-server";
import { generate } from "../support/generation-client";
import { unzip } from "../support/unzip";

// Issue #14: what concurrent and hostile requests must never do to a job, its files or the server.
let app: AppServer;
let dataDir: string;

beforeAll(async () => {
  dataDir = makeTempDir("acg-integrity-");
  app = await startApp({ DATA_DIR: dataDir });
});

appSuiteHooks(() => ({ app, dataDir }));

const UNHANDLED = /uncaughtException|unhandledRejection/;

/** A request with a method fetch() refuses to send. */
function rawRequest(method: string, pathname: string): Promise<{ status: number; type: string | undefined; allow: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${app.url}${pathname}`, { method }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, type: response.headers["content-type"], allow: response.headers.allow, body }));
    });
    request.on("error", reject);
    request.end();
  });
}

describe("downloads", () => {
  it("a zip with a creative whose files are gone ends, leaves it out and says so in creatives.json", async () => {
    const run = await generate(app.url, { provider: "builtin", count: 2 });
    const jobId = run.of("start")[0]!.jobId;
    const [kept, lost] = run.of("image").sort((a, b) => a.index - b.index);
    rmSync(path.join(dataDir, "images", lost!.url.split("/").pop()!));

    const response = await fetch(`${app.url}/api/jobs/${jobId}/download`);
    expect(response.status).toBe(200);
    const files = await unzip(Buffer.from(await response.arrayBuffer()));
    const manifest = JSON.parse(files["creatives.json"]!.toString()) as { images: { index: number }[]; missing: { index: number; reason: string }[] };
    expect(manifest.images.map((image) => image.index)).toEqual([kept!.index]);
    expect(manifest.missing).toEqual([{ index: lost!.index, reason: expect.stringMatching(/no longer/) }]);
    expect(Object.keys(files).filter((name) => name.endsWith(".jpg"))).toHaveLength(1);
    expect(app.logs()).not.toMatch(UNHANDLED);
  });
});

describe("methods no route has", () => {
  it("TRACE and other methods get a 405 JSON error that says what the API answers, and no stack trace in the log", async () => {
    for (const [method, pathname] of [["TRACE", "/api/jobs"], ["TRACE", "/api/generate-images"], ["PROPFIND", "/api/providers"]] as const) {
      const answer = await rawRequest(method, pathname);
      expect(answer.status, `${method} ${pathname}`).toBe(405);
      expect(answer.type).toMatch(/application\/json/);
      expect(answer.allow).toBe("GET, HEAD, POST, PATCH, DELETE");
      expect(JSON.parse(answer.body)).toMatchObject({ error: expect.stringContaining(`${method} is not supported`) });
    }
    expect(app.logs()).not.toMatch(/TRACE|Error:/);
  });
});

describe("query numbers", () => {
  it("history's limit takes decimal digits only", async () => {
    for (const limit of ["0x10", "1e1", " 5", "5.0", "-1", "0", "101"]) {
      const response = await fetch(`${app.url}/api/jobs?limit=${encodeURIComponent(limit)}`);
      expect(response.status, limit).toBe(400);
      expect(await response.json()).toEqual({ error: "limit must be a whole number from 1 to 100." });
    }
    expect((await fetch(`${app.url}/api/jobs?limit=10`)).status).toBe(200);
  });
});

describe("export", () => {
  it("HEAD on a creative's all-formats export answers its headers without making the zip", async () => {
    const run = await generate(app.url, { provider: "builtin", count: 1 });
    const jobId = run.of("start")[0]!.jobId;
    const head = await fetch(`${app.url}/api/jobs/${jobId}/images/0/export`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toBe("application/zip");
    expect(head.headers.get("content-disposition")).toMatch(/-01-all-formats\.zip"$/);
    expect(await head.text()).toBe("");
    expect((await fetch(`${app.url}/api/jobs/${jobId}/images/7/export`, { method: "HEAD" })).status).toBe(404);
  });
});
