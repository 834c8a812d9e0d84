import "server-only";
import type { AdFormatId } from "@/lib/ad-formats";
import { Readable } from "node:stream";
import yazl from "yazl";
import { creativeFilename, slugify } from "@/lib/creative-filenames";
import { manifestHeader } from "@/lib/creatives-manifest";
import { adsManagerCsv, creativeUrl, type CsvCreative } from "@/lib/ads-manager-csv";
import type { CreativeVariant } from "@/lib/variants";
import { creativeDesign, creativeFormat } from "@/lib/variants";
import { appContext } from "../../app-context";
import { loadBrandAssets } from "../../branding/brand-assets";
import { jsonError } from "../json-errors";
import { authorize, authorizeJob } from "../authorize";

function mimeOf(fileId: string): string {
  return fileId.endsWith(".jpg") ? "image/jpeg" : fileId.endsWith(".webp") ? "image/webp" : "image/png";
}


/**
 * GET /api/jobs/{id}/download: every finished original plus creatives.json, zipped as a stream
 * (files are read from disk as the client downloads; nothing is built in memory). Every file is
 * opened before the answer starts: one that is gone is left out and named in creatives.json
 * (`missing`), and a read that still fails ends the download with an error instead of a hang.
 * `?type=png` has the ads as lossless PNGs, composed again from their pictures on the image
 * workers one after another as the zip is written (downloads of that kind take turns, like exports).
 */
export async function downloadJobArchive(request: Request, rawId: string): Promise<Response> {
  const owned = await authorizeJob(request, rawId);
  if (!owned.ok) return owned.response;
  const { repo, store } = appContext();
  const job = await repo.getJob(owned.jobId);
  if (!job) return jsonError(404, "No job with that id.");
  const type = new URL(request.url).searchParams.get("type") ?? "jpg";
  if (type !== "jpg" && type !== "png") return jsonError(400, "type must be jpg or png.", [{ path: "type", message: "Use jpg (the ads as stored) or png (lossless)." }]);
  const done = job.images.filter((image) => image.status === "done" && image.fileId && image.compositeId);
  if (done.length === 0) return jsonError(409, "This job has no finished images to download yet.");
  const headers = {
    "Content-Type": "application/zip",
    "Content-Disposition": `attachment; filename="${slugify(job.brief.productName)}-creatives${type === "png" ? "-png" : ""}.zip"`,
    "Cache-Control": "no-store",
  };
  // Next answers HEAD with this handler and drops the body unread: open no file for it.
  if (request.method === "HEAD") return new Response(null, { headers });

  const zip = new yazl.ZipFile();
  const manifest = {
    ...manifestHeader(job),
    images: [] as {
      index: number;
      file: string;
      /** The platform format of this creative (a set may be in several). */
      format: AdFormatId;
      background: string;
      layout: string;
      prompt: string;
      seed: number;
      /** The route (Inference Provider) that actually made the picture. */
      route: string | null;
      width: number | null;
      height: number | null;
      sourceWidth: number | null;
      sourceHeight: number | null;
      /** What this creative tests, and the copy it carries. */
      variant: CreativeVariant | null;
      copy: { headline: string; subline: string; cta: string; primaryText: string; description: string };
      /** The landing page with this variant's UTM parameters (empty without a landing page). */
      url: string;
    }[],
    /** Creatives whose files were gone when the download started: not in the zip. */
    missing: [] as { index: number; reason: string }[],
  };
  const fail = (error: Error) => {
    console.error(`[download] job ${job.id}: ${error.message}`);
    (zip.outputStream as Readable).destroy(error);
  };
  const rows: CsvCreative[] = [];
  const toCompose: { image: (typeof done)[number]; name: string; format: AdFormatId }[] = [];
  for (const image of done) {
    // As PNGs the ads are made again from their pictures: the stored JPEG is not needed.
    const [ad, raw] = await Promise.all([type === "jpg" ? store.openReadable(image.compositeId!) : null, store.openReadable(image.fileId!)]);
    if ((type === "jpg" && !ad) || !raw) {
      for (const opened of [ad, raw]) opened?.stream.destroy();
      manifest.missing.push({ index: image.index, reason: "its files are no longer in DATA_DIR/images" });
      continue;
    }
    const format = creativeFormat(image.variant, job.format);
    const name = creativeFilename(job.brief.productName, image.index, type === "png" ? "image/png" : "image/jpeg", image.variant?.format);
    const background = `backgrounds/${creativeFilename(job.brief.productName, image.index, mimeOf(image.fileId!), image.variant?.format)}`;
    for (const opened of [ad, raw]) opened?.stream.once("error", fail);
    if (ad) zip.addReadStream(ad.stream, name, { compress: false, size: ad.size });
    else toCompose.push({ image, name, format });
    zip.addReadStream(raw.stream, background, { compress: false, size: raw.size });
    const design = creativeDesign(job.design, image.variant);
    const row: CsvCreative = { file: name, format, variant: image.variant, design, index: image.index };
    rows.push(row);
    manifest.images.push({
      index: image.index,
      file: name,
      format: row.format,
      background,
      layout: image.layout ?? job.design.layout,
      prompt: image.prompt,
      seed: image.seed,
      route: image.route,
      width: image.width,
      height: image.height,
      sourceWidth: image.sourceWidth,
      sourceHeight: image.sourceHeight,
      variant: image.variant,
      copy: { headline: design.headline, subline: design.subline, cta: design.cta, primaryText: design.primaryText ?? "", description: design.description ?? "" },
      url: creativeUrl(job.brief, row),
    });
  }
  const finish = () => {
    zip.addBuffer(Buffer.from(JSON.stringify(manifest, null, 2)), "creatives.json");
    zip.addBuffer(Buffer.from(adsManagerCsv(job.brief, rows)), "creatives.csv");
    zip.end();
  };
  if (toCompose.length === 0) finish();
  else {
    const { exports, work, uploadsIn } = appContext();
    const assets = await loadBrandAssets(uploadsIn(owned.caller.workspaceId), job.design);
    void exports.run(async () => {
      try {
        for (const { image, name, format } of toCompose) {
          // The client went away: compose nothing more for nobody.
          if ((zip.outputStream as Readable).destroyed) return;
          const raw = await store.read(image.fileId!);
          if (!raw) throw new Error(`the picture of creative ${image.index + 1} is gone`);
          const own = creativeDesign(job.design, image.variant);
          const { bytes } = await work.compose({ background: raw, backgroundKey: image.fileId!, format, design: image.layout ? { ...own, layout: image.layout } : own, ...assets }, { encoding: "png" });
          zip.addBuffer(bytes, name, { compress: false });
        }
        finish();
      } catch (error) {
        fail(error instanceof Error ? error : new Error("the PNG download failed"));
      }
    });
  }

  const stream = Readable.toWeb(zip.outputStream as Readable) as ReadableStream<Uint8Array>;
  return new Response(stream, { headers });
}

/**
 * GET/HEAD /api/images/{id}: the stored file; `?download=1` names it after its campaign. Ids never
 * change content, so the id is the ETag (a revalidation is a 304) and byte ranges are served.
 * The length goes in X-Content-Length, which `npm start` turns into Content-Length (Next drops that).
 */
export async function serveImage(request: Request, rawId: string): Promise<Response> {
  const authorized = await authorize(request);
  if (!authorized.ok) return authorized.response;
  const { store, repo } = appContext();
  // Another workspace's file answers as a missing one.
  if ((await repo.workspaceOfFile(rawId)) !== authorized.caller.workspaceId) return jsonError(404, "No image with that id.");
  const whole = await store.openReadable(rawId);
  if (!whole) return jsonError(404, "No image with that id.");
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
  if (!part) return jsonError(404, "No image with that id.");
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
