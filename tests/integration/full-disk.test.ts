import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir, removeDir, startApp, type AppServer } from "../support/app-server";
import { BRIEF, generate } from "../support/generation-client";

/**
 * DATA_DIR on a small file system (a 24 MB tmpfs, mounted by the test; it needs root, as CI and
 * this machine have), filled to the last byte: every answer is a clear 507 or a per-image storage
 * error, never a 500; deleting a campaign still frees space; history never shows a job as running
 * once its run is over.
 */

let mountPoint: string;
let mounted = false;
let mountProblem = "";
let app: AppServer;

beforeAll(async () => {
  mountPoint = makeTempDir("acg-small-disk-");
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=24m", "tmpfs", mountPoint], { stdio: "pipe" });
    mounted = true;
  } catch (error) {
    mountProblem = error instanceof Error ? error.message : String(error);
    return;
  }
  app = await startApp({ DATA_DIR: path.join(mountPoint, "data") });
});

afterAll(async () => {
  await app?.stop();
  if (mounted) execFileSync("umount", [mountPoint], { stdio: "pipe" });
  removeDir(mountPoint);
});

function fillDisk(file: string): void {
  const chunk = Buffer.alloc(256 * 1024, 7);
  const fd = fs.openSync(file, "w");
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
  } finally {
    fs.closeSync(fd);
  }
  // Whatever is left is smaller than a chunk: take it too.
  try {
    fs.appendFileSync(file, Buffer.alloc(4096));
    for (;;) fs.appendFileSync(file, Buffer.alloc(512));
  } catch {
    // ENOSPC: full.
  }
}

const freeBytes = () => fs.statfsSync(mountPoint).bavail * fs.statfsSync(mountPoint).bsize;

describe("a full DATA_DIR", () => {
  it("answers 507 or per-image storage errors, never 500; deleting frees space; history never shows a finished job as running", async (context) => {
    if (!mounted) {
      context.skip(`cannot mount a small tmpfs here (${mountProblem.split("\n")[0]}); this test needs root`);
      return;
    }
    const before = await generate(app.url, { provider: "builtin", count: 2 });
    expect(before.of("image")).toHaveLength(2);
    const oldJob = before.of("start")[0]!.jobId;

    const filler = path.join(mountPoint, "filler.bin");
    fillDisk(filler);
    expect(freeBytes()).toBeLessThan(64 * 1024);

    // An upload has nowhere to go: 507, saying what to do.
    const logo = await sharp({ create: { width: 64, height: 64, channels: 4, background: "#ff0000" } }).png().toBuffer();
    const upload = await fetch(`${app.url}/api/logos`, { method: "POST", body: new Uint8Array(logo) });
    expect(upload.status).toBe(507);
    expect(((await upload.json()) as { error: string }).error).toMatch(/disk is full.*Delete old campaigns in History/);

    // A new run: refused with 507 before it starts, or started with every image failing on storage.
    const run = await fetch(`${app.url}/api/generate-images`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...BRIEF, provider: "builtin", count: 2 }) });
    expect([200, 507]).toContain(run.status);
    if (run.status === 200) {
      const text = await run.text();
      expect(text).toMatch(/"code":"storage"/);
      expect(text).toMatch(/the disk is full/);
      expect(text).not.toMatch(/event: image\n/);
    }

    // History never shows a job as running once its run is over, even if its last write failed.
    const history = (await (await fetch(`${app.url}/api/jobs`)).json()) as { jobs: { id: string; status: string }[] };
    expect(history.jobs.filter((job) => job.status === "running")).toEqual([]);
    const page = await (await fetch(`${app.url}/history`)).text();
    expect(page).not.toMatch(/badge--running/);

    // Deleting a campaign still works on a full disk, and frees its files' space.
    const freeBefore = freeBytes();
    const deleted = await fetch(`${app.url}/api/jobs/${oldJob}`, { method: "DELETE" });
    expect(deleted.status).toBe(204);
    expect(freeBytes()).toBeGreaterThan(freeBefore + 200 * 1024);
    expect((await fetch(`${app.url}/api/jobs/${oldJob}`)).status).toBe(404);

    // With room again, everything works as before.
    fs.rmSync(filler);
    const after = await generate(app.url, { provider: "builtin", count: 1 });
    expect(after.of("image")).toHaveLength(1);
    expect(app.logs()).not.toMatch(/⨯|Internal Server Error|unhandled/i);
    expect(app.outboundAttempts()).toEqual([]);
  });
});
