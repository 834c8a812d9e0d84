import "server-only";
import { spawn } from "node:child_process";
import pLimit from "p-limit";

/**
 * Draws an SVG in a child process that is killed at its deadline. librsvg draws a document in
 * one native call that no timeout reaches (sharp's only checks between tiles), and work on
 * libuv's threads outlives a terminated worker thread: a few hundred bytes of filters kept a
 * core busy for minutes. Only a process can be stopped for sure.
 *
 * The child draws at the size the logo is kept at, whatever canvas the SVG declares, so an
 * honest logo is cheap and a 3100 px filter canvas costs what a 600 px one does.
 */
const CHILD_PROGRAM = `
const sharp = require("sharp");
sharp.concurrency(1);
sharp.cache(false);
const { maxSide, maxPixels } = JSON.parse(process.argv[1]);
const chunks = [];
process.stdin.on("data", (chunk) => chunks.push(chunk));
process.stdin.on("end", async () => {
  try {
    const svg = Buffer.concat(chunks);
    const declared = await sharp(svg, { limitInputPixels: false }).metadata();
    const longer = Math.max(declared.width || 0, declared.height || 0);
    if (!longer) throw new Error("no size");
    const density = Math.min(100000, Math.max(1, (72 * maxSide) / longer));
    const png = await sharp(svg, { density, failOn: "error", limitInputPixels: maxPixels })
      .resize(maxSide, maxSide, { fit: "inside" })
      .png()
      .toBuffer();
    process.stdout.end(png);
  } catch {
    process.exitCode = 2; // unreadable: the parent says so
  }
});
`;

/** Drawings at once, per process: an upload burst waits its turn instead of starting a process each. */
const drawing = pLimit(2);

export type SvgDrawing = { ok: true; png: Buffer } | { ok: false; reason: "too-slow" | "unreadable" };

export function rasteriseSvg(svg: Buffer, options: { maxSide: number; deadlineMs: number }): Promise<SvgDrawing> {
  return drawing(() => drawInChild(svg, options));
}

function drawInChild(svg: Buffer, { maxSide, deadlineMs }: { maxSide: number; deadlineMs: number }): Promise<SvgDrawing> {
  return new Promise((resolve) => {
    // No secrets and no preloads: the child only needs to find node_modules (from the app's folder).
    const child = spawn(process.execPath, ["-e", CHILD_PROGRAM, JSON.stringify({ maxSide, maxPixels: 4 * maxSide * maxSide })], {
      cwd: process.cwd(),
      env: { PATH: process.env.PATH ?? "" } as unknown as NodeJS.ProcessEnv,
      stdio: ["pipe", "pipe", "ignore"],
    });
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (result: SvgDrawing) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(result);
    };
    const deadline = setTimeout(() => {
      child.kill("SIGKILL");
      finish({ ok: false, reason: "too-slow" });
    }, deadlineMs);
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.on("error", () => finish({ ok: false, reason: "unreadable" }));
    child.on("close", (code) => finish(code === 0 && chunks.length > 0 ? { ok: true, png: Buffer.concat(chunks) } : { ok: false, reason: "unreadable" }));
    // A child that died early closes its stdin: that is reported by "close", not thrown here.
    child.stdin.on("error", () => undefined);
    child.stdin.end(svg);
  });
}
