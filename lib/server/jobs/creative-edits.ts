import "server-only";
import { Readable } from "node:stream";
import yazl from "yazl";
import { z } from "zod";
import { AD_FORMAT_IDS, AD_FORMATS, type AdFormatId } from "@/lib/ad-formats";
import { designSchema, LAYOUT_IDS, type Design, type LayoutId } from "@/lib/design";
import type { ImageEvent } from "@/lib/events";
import { appContext } from "../app-context";
import { loadBrandAssets, missingUpload, type BrandAssets } from "../branding/brand-assets";
import { composeCreative } from "../compositing/compositor";
import { storeCreative } from "../compositing/creative-service";
import { issuesFromZod, jsonError } from "../http/json-errors";
import { readJsonBody } from "../http/read-json-body";
import type { JobRecord } from "../storage/job-repository";
import { creativeFilename, slugify } from "./job-archive";
import { parseJobId } from "./job-requests";

const MAX_BODY_BYTES = 16 * 1024;

const designPatchSchema = z
  .object({
    design: designSchema.partial().strict().optional(),
    format: z.enum(AD_FORMAT_IDS, { error: `format must be one of: ${AD_FORMAT_IDS.join(", ")}` }).optional(),
  })
  .strict();

const layoutPatchSchema = z.object({ layout: z.enum(LAYOUT_IDS, { error: `layout must be one of: ${LAYOUT_IDS.join(", ")}` }) }).strict();

type Loaded = { ok: true; job: JobRecord } | { ok: false; response: Response };

function loadFinishedJob(rawId: string): Loaded {
  const id = parseJobId(rawId);
  if (!id.ok) return id;
  const { repo, jobs } = appContext();
  const job = repo.getJob(id.id);
  if (!job) return { ok: false, response: jsonError(404, "No job with that id.") };
  if (jobs.isRunning(job.id)) return { ok: false, response: jsonError(409, "This job is still generating: edit its creatives when it has finished.") };
  return { ok: true, job };
}

/**
 * Re-composites finished creatives from their kept raw pictures: no model call. Each new ad is
 * stored, recorded as an `image` event in the job's log (so reopening the job shows it), and the
 * files it replaces are removed.
 */
async function recompose(job: JobRecord, design: Design, format: AdFormatId, indices: number[], layoutOverride?: LayoutId, preloaded?: BrandAssets): Promise<ImageEvent[]> {
  const { store, jobs } = appContext();
  const assets = preloaded ?? (await loadBrandAssets(store, design));
  const events: ImageEvent[] = [];
  for (const image of job.images) {
    if (!indices.includes(image.index) || image.status !== "done" || !image.fileId) continue;
    const raw = await store.read(image.fileId);
    if (!raw) continue;
    const layout = layoutOverride ?? image.layout;
    const creative = await storeCreative(store, { bytes: raw, extension: "png", rawId: image.fileId }, design, format, assets, layout);
    const event: ImageEvent = {
      index: image.index,
      url: creative.url,
      thumbUrl: creative.thumbUrl,
      rawUrl: creative.rawUrl,
      format,
      layout: creative.layout,
      width: creative.width,
      height: creative.height,
      seed: image.seed,
      prompt: image.prompt,
      provider: job.provider,
      model: job.model,
      ...(image.route ? { route: image.route } : {}),
      ...(image.sourceWidth && image.sourceHeight ? { sourceWidth: image.sourceWidth, sourceHeight: image.sourceHeight } : {}),
      elapsedMs: image.elapsedMs ?? 0,
      mimeType: creative.mimeType,
      bytes: creative.bytes,
      placeholder: creative.placeholder,
      readyAt: Date.now(),
    };
    // Recording the event updates the image row and deletes the ad it replaces.
    jobs.appendEvent(job.id, { event: "image", data: event });
    events.push(event);
  }
  return events;
}

/** PATCH /api/jobs/{id}/design: new copy, colours, logo, layout or format for every finished creative. */
export async function updateJobDesign(rawId: string, request: Request): Promise<Response> {
  const loaded = loadFinishedJob(rawId);
  if (!loaded.ok) return loaded.response;
  const body = await readJsonBody(request, MAX_BODY_BYTES);
  if (!body.ok) return body.response;
  const parsed = designPatchSchema.safeParse(body.value);
  if (!parsed.success) return jsonError(400, "The design is not valid: fix the fields listed in issues.", issuesFromZod(parsed.error));
  const { job } = loaded;
  const design: Design = { ...job.design, ...parsed.data.design };
  const format = parsed.data.format ?? job.format;
  const { store, repo } = appContext();
  const assets = await loadBrandAssets(store, design);
  const missing = missingUpload(design, assets);
  if (missing) return jsonError(400, missing.message, [missing]);
  repo.updateDesign(job.id, design, format);
  // A new job-wide layout replaces per-creative choices, so the change is visible everywhere.
  const clearOverrides = parsed.data.design?.layout !== undefined;
  const started = Date.now();
  const images = await recompose(job, design, format, job.images.map((i) => i.index), clearOverrides ? design.layout : undefined, assets);
  return Response.json({ design, format, images, elapsedMs: Date.now() - started }, { headers: { "Cache-Control": "no-store" } });
}

/** PATCH /api/jobs/{id}/images/{index}: another layout for one creative. */
export async function updateCreativeLayout(rawId: string, rawIndex: string, request: Request): Promise<Response> {
  const loaded = loadFinishedJob(rawId);
  if (!loaded.ok) return loaded.response;
  const index = parseIndex(rawIndex, loaded.job);
  if (index === null) return jsonError(404, "This job has no finished image with that number.");
  const body = await readJsonBody(request, MAX_BODY_BYTES);
  if (!body.ok) return body.response;
  const parsed = layoutPatchSchema.safeParse(body.value);
  if (!parsed.success) return jsonError(400, "The layout is not valid.", issuesFromZod(parsed.error));
  const images = await recompose(loaded.job, loaded.job.design, loaded.job.format, [index], parsed.data.layout);
  return Response.json({ images }, { headers: { "Cache-Control": "no-store" } });
}

/** GET /api/jobs/{id}/images/{index}/export: one creative in every platform format, as a zip of PNGs. */
export async function exportAllFormats(rawId: string, rawIndex: string): Promise<Response> {
  const id = parseJobId(rawId);
  if (!id.ok) return id.response;
  const { repo, store } = appContext();
  const job = repo.getJob(id.id);
  if (!job) return jsonError(404, "No job with that id.");
  const index = parseIndex(rawIndex, job);
  if (index === null) return jsonError(404, "This job has no finished image with that number.");
  const image = job.images.find((i) => i.index === index)!;
  const raw = await store.read(image.fileId!);
  if (!raw) return jsonError(404, "The picture behind this creative is missing.");
  const assets = await loadBrandAssets(store, job.design);
  const design = image.layout ? { ...job.design, layout: image.layout } : job.design;

  const zip = new yazl.ZipFile();
  const stem = creativeFilename(job.brief.productName, index, "image/png").replace(/\.png$/, "");
  // Formats are composed one after another as the zip is written, so memory stays flat.
  void (async () => {
    try {
      for (const format of AD_FORMAT_IDS) {
        const { bytes } = await composeCreative({ background: raw, backgroundKey: image.fileId!, format, design, ...assets }, { encoding: "png" });
        const { width, height } = AD_FORMATS[format];
        zip.addBuffer(bytes, `${stem}-${format}-${width}x${height}.png`, { compress: false });
      }
      zip.end();
    } catch (error) {
      console.error("[export] failed:", error instanceof Error ? error.message : error);
      (zip.outputStream as Readable).destroy(error instanceof Error ? error : new Error("export failed"));
    }
  })();
  return new Response(Readable.toWeb(zip.outputStream as Readable) as ReadableStream<Uint8Array>, {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${slugify(job.brief.productName)}-${String(index + 1).padStart(2, "0")}-all-formats.zip"`,
      "Cache-Control": "no-store",
    },
  });
}

function parseIndex(raw: string, job: JobRecord): number | null {
  if (!/^\d{1,3}$/.test(raw)) return null;
  const index = Number(raw);
  const image = job.images.find((i) => i.index === index);
  return image && image.status === "done" && image.fileId ? index : null;
}
