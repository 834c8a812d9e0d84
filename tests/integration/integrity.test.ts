import { rmSync, utimesSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { appSuiteHooks } from "../support/app-suite";
import { makeTempDir, removeDir, startApp, type AppServer } from "../support/app-server";
import { checkDataDir } from "../support/data-consistency";
import { BRIEF, generate } from "../support/generation-client";
import { DEFAULT_DESIGN } from "@/lib/design";
import { postSse, readAllMessages, sseJson } from "../support/sse-client";
import { unzip } from "../support/unzip";

// Issue #14: what concurrent and hostile requests must never do to a job, its files or the server.
let app: AppServer;
let dataDir: string;

beforeAll(async () => {
  dataDir = makeTempDir("acg-integrity-");
  app = await startApp({ DATA_DIR: dataDir, REQUEST_TIMEOUT_MS: "2000" });
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
    expect((await fetch(`${app.url}/api/jobs/${jobId}`, { method: "DELETE" })).status).toBe(204);
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

const BRIEF_WITH = (design: Record<string, unknown>) => ({ ...BRIEF, design: { ...DEFAULT_DESIGN, ...design } });
const LOGO_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" fill="#123"/></svg>';

interface PublicJob {
  status: string;
  design: { headline: string; logoId: string | null };
  lastEventId: number;
  images: { index: number; status: string; url: string | null; rawUrl: string | null }[];
}

const getJob = async (jobId: string) => (await (await fetch(`${app.url}/api/jobs/${jobId}`)).json()) as PublicJob;
const fileId = (url: string | null) => url!.split("/").pop()!;
const patchDesign = (jobId: string, design: Record<string, unknown>) =>
  fetch(`${app.url}/api/jobs/${jobId}/design`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ design }) });
const finishedJob = async (count: number) => run0(await generate(app.url, { provider: "builtin", count }));
const run0 = (run: Awaited<ReturnType<typeof generate>>) => run.of("start")[0]!.jobId;

/** The job's whole log, replayed from the start. */
async function replay(jobId: string): Promise<{ id: number; event: string; index?: number }[]> {
  const response = await fetch(`${app.url}/api/jobs/${jobId}/events`, { headers: { accept: "text/event-stream" } });
  const messages = await readAllMessages(response);
  return messages.map((m) => ({ id: Number(m.id), event: m.event ?? "message", index: sseJson<{ index?: number }>(m).index }));
}

describe("logos are their own kind of object", () => {
  it("a design cannot name another job's picture as its logo, so deleting that job breaks nothing", async () => {
    const owner = await finishedJob(1);
    const picture = fileId((await getJob(owner)).images[0]!.rawUrl);
    const other = await finishedJob(1);

    const edit = await patchDesign(other, { logoId: picture });
    expect(edit.status).toBe(400);
    expect(await edit.json()).toMatchObject({ error: "That logo is no longer stored: upload it again." });
    const run = await fetch(`${app.url}/api/generate-images`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...BRIEF_WITH({ logoId: picture }), provider: "builtin", count: 1 }),
    });
    expect(run.status).toBe(400);

    // A real logo used by two campaigns outlives the deletion of one of them.
    const logo = (await (await fetch(`${app.url}/api/logos`, { method: "POST", body: LOGO_SVG })).json()) as { logoId: string };
    expect((await patchDesign(owner, { logoId: logo.logoId })).status).toBe(200);
    expect((await patchDesign(other, { logoId: logo.logoId })).status).toBe(200);
    expect((await fetch(`${app.url}/api/jobs/${owner}`, { method: "DELETE" })).status).toBe(204);
    const export_ = await fetch(`${app.url}/api/jobs/${other}/images/0/export`);
    expect(export_.status).toBe(200);
    await export_.arrayBuffer();
    expect((await patchDesign(other, { headline: "Still branded" })).status).toBe(200);
    expect((await fetch(`${app.url}/api/images/${logo.logoId}`)).status).toBe(200);
  });
});

describe("one writer per job", () => {
  it("two design edits at once both apply, one after the other: every creative shows the last one's headline", async () => {
    const jobId = await finishedJob(3);
    const [a, b] = await Promise.all([patchDesign(jobId, { headline: "AAA" }), patchDesign(jobId, { headline: "BBB" })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const answers = [(await a.json()) as { design: { headline: string }; images: { index: number; url: string }[] }, (await b.json()) as { design: { headline: string }; images: { index: number; url: string }[] }];
    const job = await getJob(jobId);
    const last = answers.find((answer) => answer.design.headline === job.design.headline)!;
    expect(last).toBeDefined();
    // The creatives on record are exactly the ones the last edit drew, none from the other.
    expect(job.images.map((image) => image.url).sort()).toEqual(last.images.map((image) => image.url).sort());
  });

  it("a regenerate during an edit waits for it: unique event ids, the edit's images not in the rerun's stream, nothing skipped", async () => {
    const jobId = await finishedJob(3);
    const edit = patchDesign(jobId, { headline: "Edited while regenerating" });
    const rerunResponse = await postSse(`${app.url}/api/jobs/${jobId}/images`, { action: "regenerate", index: 1 });
    const [editAnswer, rerunMessages] = await Promise.all([edit, readAllMessages(rerunResponse)]);
    expect([200, 409]).toContain(editAnswer.status);
    if (editAnswer.status === 200) expect(((await editAnswer.json()) as { images: unknown[] }).images).toHaveLength(3);
    const rerunImages = rerunMessages.filter((m) => m.event === "image").map((m) => sseJson<{ index: number }>(m).index);
    expect(rerunImages).toEqual([1]);
    expect(rerunMessages.at(-1)!.event).toBe("done");

    const log = await replay(jobId);
    const ids = log.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    // What the live viewer got under each id is what the log holds under it (previews have none).
    for (const message of rerunMessages.filter((m) => m.id !== undefined)) {
      const logged = log.find((entry) => entry.id === Number(message.id));
      expect(logged, `id ${message.id}`).toMatchObject({ event: message.event });
    }
  });

  it("a delete during an edit waits for it: never a 500, and the job's files go with it", async () => {
    const jobId = await finishedJob(4);
    const [edit, removal] = await Promise.all([patchDesign(jobId, { headline: "Edited while deleted" }), fetch(`${app.url}/api/jobs/${jobId}`, { method: "DELETE" })]);
    expect([200, 404]).toContain(edit.status);
    expect(removal.status).toBe(204);
    expect((await fetch(`${app.url}/api/jobs/${jobId}`)).status).toBe(404);
    expect(checkDataDir(dataDir).unowned).toEqual([]);
  });
});

describe("stopping a run at any moment", () => {
  it("Stop or delete mid-run leaves no file without its row and no row without its file", async () => {
    for (const [i, delayMs] of [0, 15, 40, 70, 100, 140, 25, 55].entries()) {
      const response = await postSse(`${app.url}/api/generate-images`, { ...BRIEF, provider: "builtin", count: 4 });
      let jobId = "";
      let stopped: Promise<Response> | undefined;
      await readAllMessages(response, (message) => {
        if (message.event !== "start" || stopped) return;
        jobId = sseJson<{ jobId: string }>(message).jobId;
        const how = i % 2 === 0 ? { path: `/api/jobs/${jobId}/cancel`, method: "POST" } : { path: `/api/jobs/${jobId}`, method: "DELETE" };
        stopped = new Promise((resolve) => setTimeout(resolve, delayMs)).then(() => fetch(`${app.url}${how.path}`, { method: how.method }));
      });
      expect([200, 202, 204, 404, 409]).toContain((await stopped!).status);
    }
    expect(checkDataDir(dataDir)).toMatchObject({ unowned: [], missing: [] });
  });
});

describe("the sweep at start", () => {
  it("removes files nothing refers to once they are an hour old, and leaves fresh ones and everything referred to", async () => {
    const dir = makeTempDir("acg-sweep-");
    const first = await startApp({ DATA_DIR: dir });
    const run = await generate(first.url, { provider: "builtin", count: 1 });
    await first.stop();
    const images = path.join(dir, "images");
    const old = `${"a".repeat(32)}.png`;
    const fresh = `${"b".repeat(32)}.png`;
    const leftover = `${"c".repeat(32)}.png.123.tmp`;
    for (const name of [old, fresh, leftover]) writeFileSync(path.join(images, name), "x");
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60_000);
    for (const name of [old, leftover]) utimesSync(path.join(images, name), twoHoursAgo, twoHoursAgo);

    const second = await startApp({ DATA_DIR: dir });
    try {
      await expect.poll(() => checkDataDir(dir).unowned, { timeout: 10_000 }).toEqual([fresh]);
      expect(checkDataDir(dir)).toMatchObject({ missing: [], temp: [] });
      const ad = run.of("image")[0]!;
      expect((await fetch(`${second.url}${ad.url}`)).status).toBe(200);
      expect(second.logs()).toMatch(/\[sweep\] removed 2 file/);
    } finally {
      await second.stop();
      removeDir(dir);
    }
  });
});

describe("hostile requests", () => {
  it("a request body that never ends is cut off after REQUEST_TIMEOUT_MS, and the server keeps serving", async () => {
    const { port } = new URL(app.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), "127.0.0.1", () => {
        socket.write("POST /api/logos HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/png\r\nContent-Length: 100000\r\n\r\n");
        socket.write(Buffer.alloc(100));
      });
      let received = "";
      socket.on("data", (chunk) => (received += chunk.toString()));
      socket.on("close", () => resolve(received));
      socket.on("error", reject);
      socket.setTimeout(20_000, () => reject(new Error("the connection was still held after 20 s")));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect((await fetch(`${app.url}/api/jobs`)).status).toBe(200);
  });

  it("a 1.8 KB SVG of nested copies is refused by its structure", async () => {
    let defs = '<circle id="l0" r="1"/>';
    for (let level = 1; level <= 10; level++) defs += `<g id="l${level}">${'<use href="#lX"/>'.replaceAll("X", String(level - 1)).repeat(10)}</g>`;
    const bomb = `<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><defs>${defs}</defs><use href="#l10"/></svg>`;
    const response = await fetch(`${app.url}/api/logos`, { method: "POST", body: bomb });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/itself contains copies/);
  });
});

describe("serving images", () => {
  it("with their length, an ETag that revalidates to 304, and byte ranges", async () => {
    const run = await generate(app.url, { provider: "builtin", count: 1 });
    const url = `${app.url}${run.of("image")[0]!.rawUrl}`;
    const whole = await fetch(url);
    const bytes = Buffer.from(await whole.arrayBuffer());
    expect(whole.status).toBe(200);
    expect(Number(whole.headers.get("content-length"))).toBe(bytes.length);
    expect(whole.headers.get("accept-ranges")).toBe("bytes");
    const etag = whole.headers.get("etag")!;
    expect(etag).toMatch(/^"[0-9a-f]{32}\.png"$/);

    expect((await fetch(url, { headers: { "if-none-match": etag } })).status).toBe(304);
    const part = await fetch(url, { headers: { range: "bytes=100-199" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 100-199/${bytes.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(100, 200))).toBe(true);
    const tail = await fetch(url, { headers: { range: "bytes=-10" } });
    expect(Buffer.from(await tail.arrayBuffer()).equals(bytes.subarray(bytes.length - 10))).toBe(true);
    const beyond = await fetch(url, { headers: { range: `bytes=${bytes.length + 5}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get("content-range")).toBe(`bytes */${bytes.length}`);
    const head = await fetch(url, { method: "HEAD" });
    expect(Number(head.headers.get("content-length"))).toBe(bytes.length);
  });
});
