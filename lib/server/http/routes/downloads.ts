import "server-only";
import { Readable } from "node:stream";
import { creativeFilename } from "@/lib/creative-filenames";
import { appContext } from "../../app-context";
import { AppError } from "../../use-cases/app-error";
import { downloadSet } from "../../use-cases/download-set";
import { callerOf, jobCallerOf } from "../authorize";
import { answer } from "../error-response";

/**
 * GET /api/jobs/{id}/download?type=jpg|png: the set as a zip (see the use case); HEAD checks the
 * same and opens no file (Next answers HEAD with this handler and drops the body unread).
 */
export function downloadJobArchive(request: Request, rawId: string): Promise<Response> {
  return answer(async () => {
    const { caller, jobId } = await jobCallerOf(request, rawId);
    const type = new URL(request.url).searchParams.get("type") ?? "jpg";
    if (type !== "jpg" && type !== "png") throw new AppError("invalid", "type must be jpg or png.", { issues: [{ path: "type", message: "Use jpg (the ads as stored) or png (lossless)." }] });
    const archive = await downloadSet(appContext(), caller, jobId, type, { checkOnly: request.method === "HEAD" });
    const headers = { "Content-Type": "application/zip", "Content-Disposition": `attachment; filename="${archive.filename}"`, "Cache-Control": "no-store" };
    if (!archive.zip) return new Response(null, { headers });
    return new Response(Readable.toWeb(archive.zip) as ReadableStream<Uint8Array>, { headers });
  });
}

/**
 * GET/HEAD /api/images/{id}: the stored file; `?download=1` names it after its campaign. Ids never
 * change content, so the id is the ETag (a revalidation is a 304) and byte ranges are served.
 * The length goes in X-Content-Length, which `npm start` turns into Content-Length (Next drops that).
 */
export function serveImage(request: Request, rawId: string): Promise<Response> {
  return answer(() => serveImageFile(request, rawId));
}

const NO_IMAGE = () => new AppError("not-found", "No image with that id.");

async function serveImageFile(request: Request, rawId: string): Promise<Response> {
  const caller = await callerOf(request);
  const { store, repo } = appContext();
  // Another workspace's file answers as a missing one.
  if ((await repo.workspaceOfFile(rawId)) !== caller.workspaceId) throw NO_IMAGE();
  const whole = await store.openReadable(rawId);
  if (!whole) throw NO_IMAGE();
  const etag = `"${rawId}"`;
  const headers: Record<string, string> = {
    "Content-Type": whole.mimeType,
    // Ids are random and content never changes, so browsers may keep it forever, but only for
    // this person: a shared cache must not hand one workspace's file to another.
    "Cache-Control": "private, max-age=31536000, immutable",
    "X-Content-Type-Options": "nosniff",
    ETag: etag,
    "Accept-Ranges": "bytes",
  };
  if (new URL(request.url).searchParams.get("download") === "1") {
    const owner = await repo.describeFile(rawId);
    const name = owner ? creativeFilename(owner.productName, owner.index, whole.mimeType).replace(/(\.\w+)$/, owner.raw ? "-background$1" : "$1") : rawId;
    headers["Content-Disposition"] = `attachment; filename="${name}"`;
  }
  const bodiless = request.method === "HEAD";
  if (request.headers.get("if-none-match")?.split(",").some((tag) => tag.trim() === etag)) {
    whole.stream.destroy();
    return new Response(null, { status: 304, headers });
  }
  const range = parseByteRange(request.headers.get("range"), whole.size);
  if (range === "unsatisfiable") {
    whole.stream.destroy();
    return new Response(null, { status: 416, headers: { ...headers, "Content-Range": `bytes */${whole.size}` } });
  }
  if (!range) {
    headers["X-Content-Length"] = String(whole.size);
    return respondWith(whole.stream, bodiless, { headers });
  }
  // The size decides the range, so the part is a second read of the file opened above.
  whole.stream.destroy();
  const part = await store.openReadable(rawId, range);
  if (!part) throw NO_IMAGE();
  headers["Content-Range"] = `bytes ${range.start}-${range.end}/${whole.size}`;
  headers["X-Content-Length"] = String(range.end - range.start + 1);
  return respondWith(part.stream, bodiless, { status: 206, headers });
}

/** The file's stream as the answer's body, or no body (HEAD) with the stream closed. */
function respondWith(stream: Readable, bodiless: boolean, init: ResponseInit): Response {
  if (bodiless) {
    stream.destroy();
    return new Response(null, init);
  }
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, init);
}

/** One `bytes=` range (the form browsers and download managers send); several are served whole. */
export function parseByteRange(header: string | null, size: number): { start: number; end: number } | "unsatisfiable" | null {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === "" && match[2] === "")) return null;
  const [, from, to] = match;
  if (from === "") {
    const suffix = Number(to);
    if (suffix === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  const end = to === "" ? size - 1 : Math.min(Number(to), size - 1);
  return start >= size || end < start ? "unsatisfiable" : { start, end };
}
