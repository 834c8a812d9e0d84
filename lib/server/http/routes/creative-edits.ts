import "server-only";
import type { z } from "zod";
import type { designEditSchema, layoutEditSchema } from "@/lib/api-answers";
import { Readable } from "node:stream";
import yazl from "yazl";
import { AD_FORMAT_IDS, AD_FORMATS } from "@/lib/ad-formats";
import type { Design } from "@/lib/design";
import { appContext } from "../../app-context";
import { loadBrandAssets, missingUpload } from "../../branding/brand-assets";
import { recomposeCreatives, variantsAfterCampaignEdit, variantWithCopy, type EditDeps } from "../../jobs/edit-creatives";
import { creativeDesign, creativeFormat, setFormats } from "@/lib/variants";
import { toWireImage } from "../../jobs/job-events";
import { designPatchSchema, layoutPatchSchema } from "../../jobs/job-requests";
import type { JobRecord } from "../../storage/job-records";
import { authorizeJob } from "../authorize";
import { issuesFromZod, jsonError } from "../json-errors";
import { readJsonBody } from "../read-json-body";
import { creativeFilename, slugify } from "@/lib/creative-filenames";
import { copyLengthIssues, setCopyLengthIssues } from "@/lib/platform-copy";
import type { CreativeVariant } from "@/lib/variants";

const MAX_BODY_BYTES = 16 * 1024;


type Loaded = { ok: true; job: JobRecord } | { ok: false; response: Response };

/** Edits may name only uploads of the job's own workspace. */
function editDeps(workspaceId: string): EditDeps {
  const { work, jobs, uploadsIn } = appContext();
  return { ...uploadsIn(workspaceId), work, appendEvent: (jobId, event) => jobs.appendEvent(jobId, event), now: Date.now };
}

async function loadFinishedJob(jobId: string): Promise<Loaded> {
  const { repo, jobs } = appContext();
  const job = await repo.getJob(jobId);
  if (!job) return { ok: false, response: jsonError(404, "No job with that id.") };
  if (await jobs.isRunning(job.id)) return { ok: false, response: jsonError(409, "This job is still generating: edit its creatives when it has finished.") };
  return { ok: true, job };
}

/** PATCH /api/jobs/{id}/design: new copy, colours, logo, layout or format for every finished creative. */
export async function updateJobDesign(request: Request, rawId: string): Promise<Response> {
  const owned = await authorizeJob(request, rawId);
  if (!owned.ok) return owned.response;
  const deps = editDeps(owned.caller.workspaceId);
  const loaded = await loadFinishedJob(owned.jobId);
  if (!loaded.ok) return loaded.response;
  const body = await readJsonBody(request, MAX_BODY_BYTES);
  if (!body.ok) return body.response;
  const parsed = designPatchSchema.safeParse(body.value);
  if (!parsed.success) return jsonError(400, "The design is not valid: fix the fields listed in issues.", issuesFromZod(parsed.error));
  const patch = parsed.data;
  // One writer per job: the patch applies to the design as the edit before it left it.
  return appContext().jobs.exclusive(loaded.job.id, async () => {
    const current = await loadFinishedJob(owned.jobId);
    if (!current.ok) return current.response;
    const { job } = current;
    const design: Design = { ...job.design, ...patch.design };
    const formats = setFormats(job.format, job.images.map((image) => image.variant));
    // Another format replaces the set's only one; a set in several adds formats instead (POST images, action "format").
    const replacing = patch.format !== undefined && patch.format !== job.format;
    if (replacing && formats.length > 1) {
      return jsonError(409, "This set is in several formats: add another with POST /api/jobs/{id}/images and action \"format\" instead of replacing them.", [{ path: "format", message: "Leave format out, or add the format to the set." }]);
    }
    const format = patch.format ?? job.format;
    const variants = variantsAfterCampaignEdit(job, patch.design ?? {});
    const tooLong = setCopyLengthIssues([design, ...job.images.map((image) => creativeDesign(design, variants.has(image.index) ? variants.get(image.index) : image.variant))], replacing ? [format] : formats);
    if (tooLong.length > 0) return jsonError(400, "Some copy is longer than the platform shows: shorten the fields listed in issues.", tooLong.map((issue) => ({ path: `design.${issue.key}`, message: issue.message })));
    const { repo } = appContext();
    const assets = await loadBrandAssets(deps, design);
    const missing = missingUpload(design, assets);
    if (missing) return jsonError(400, missing.message, [missing]);
    await repo.updateDesign(job.id, design, format);
    // Choosing another job-wide layout replaces per-creative choices, so the change is visible
    // everywhere; an edit that sends the layout the job already has (the form sends the whole
    // design) keeps them.
    const clearOverrides = patch.design?.layout !== undefined && patch.design.layout !== job.design.layout;
    const started = Date.now();
    const images = await recomposeCreatives(deps, job, { design, ...(replacing ? { format } : {}), indices: job.images.map((i) => i.index), layoutOverride: clearOverrides ? design.layout : undefined, assets, variants });
    return Response.json({ design, format, images: images.map(toWireImage), elapsedMs: Date.now() - started } satisfies z.infer<typeof designEditSchema>, { headers: { "Cache-Control": "no-store" } });
  });
}

/** PATCH /api/jobs/{id}/images/{index}: another layout for one creative. */
export async function updateCreativeLayout(request: Request, rawId: string, rawIndex: string): Promise<Response> {
  const owned = await authorizeJob(request, rawId);
  if (!owned.ok) return owned.response;
  const loaded = await loadFinishedJob(owned.jobId);
  if (!loaded.ok) return loaded.response;
  const index = parseIndex(rawIndex, loaded.job);
  if (index === null) return jsonError(404, "This job has no finished image with that number.");
  const body = await readJsonBody(request, MAX_BODY_BYTES);
  if (!body.ok) return body.response;
  const parsed = layoutPatchSchema.safeParse(body.value);
  if (!parsed.success) return jsonError(400, "The change is not valid: fix the fields listed in issues.", issuesFromZod(parsed.error));
  const { layout, copy } = parsed.data;
  return appContext().jobs.exclusive(loaded.job.id, async () => {
    const current = await loadFinishedJob(owned.jobId);
    if (!current.ok) return current.response;
    const { job } = current;
    if (parseIndex(rawIndex, job) === null) return jsonError(404, "This job has no finished image with that number.");
    const image = job.images.find((each) => each.index === index)!;
    const variants = new Map<number, CreativeVariant | null>();
    if (copy) {
      const variant = variantWithCopy(image, copy);
      const tooLong = copyLengthIssues(creativeDesign(job.design, variant), [creativeFormat(variant, job.format)]);
      if (tooLong.length > 0) return jsonError(400, "Some copy is longer than the platform shows: shorten the fields listed in issues.", tooLong.map((issue) => ({ path: `copy.${issue.key}`, message: issue.message })));
      variants.set(index, variant);
    }
    const images = await recomposeCreatives(editDeps(owned.caller.workspaceId), job, { design: job.design, indices: [index], ...(layout ? { layoutOverride: layout } : {}), variants });
    return Response.json({ images: images.map(toWireImage) } satisfies z.infer<typeof layoutEditSchema>, { headers: { "Cache-Control": "no-store" } });
  });
}

/**
 * GET /api/jobs/{id}/images/{index}/export?type=png|jpg: one creative in every platform format, as
 * a zip of PNGs (the default) or JPEGs composed on the image workers. HEAD (`headOnly`) checks the
 * same and composes nothing.
 */
export async function exportAllFormats(request: Request, rawId: string, rawIndex: string, options: { headOnly?: boolean } = {}): Promise<Response> {
  const owned = await authorizeJob(request, rawId);
  if (!owned.ok) return owned.response;
  const { repo, store, work } = appContext();
  const job = await repo.getJob(owned.jobId);
  if (!job) return jsonError(404, "No job with that id.");
  const index = parseIndex(rawIndex, job);
  if (index === null) return jsonError(404, "This job has no finished image with that number.");
  const image = job.images.find((i) => i.index === index)!;
  const type = new URL(request.url).searchParams.get("type") ?? "png";
  if (!isExportType(type)) return jsonError(400, `type must be ${EXPORT_TYPES.join(" or ")}.`, [{ path: "type", message: `Use ${EXPORT_TYPES.join(" or ")}.` }]);
  const { encoding, mimeType } = EXPORTS[type];
  const headers = {
    "Content-Type": "application/zip",
    "Content-Disposition": `attachment; filename="${slugify(job.brief.productName)}-${String(index + 1).padStart(2, "0")}-all-formats${type === "png" ? "" : `-${type}`}.zip"`,
    "Cache-Control": "no-store",
  };
  if (options.headOnly) {
    const opened = await store.openReadable(image.fileId!);
    opened?.stream.destroy();
    return opened ? new Response(null, { headers }) : jsonError(404, "The picture behind this creative is missing.");
  }
  const raw = await store.read(image.fileId!);
  if (!raw) return jsonError(404, "The picture behind this creative is missing.");
  const assets = await loadBrandAssets(editDeps(owned.caller.workspaceId), job.design);
  const own = creativeDesign(job.design, image.variant);
  const design = image.layout ? { ...own, layout: image.layout } : own;

  const zip = new yazl.ZipFile();
  const stem = creativeFilename(job.brief.productName, index, mimeType).replace(/\.\w+$/, "");
  // Formats are composed one after another as the zip is written, so memory stays flat; exports
  // take turns (one at a time per process), so a burst of them cannot crowd out the runs' ads.
  void appContext().exports.run(async () => {
    try {
      for (const format of AD_FORMAT_IDS) {
        // The client went away (or never waited its turn): compose nothing more for nobody.
        if ((zip.outputStream as Readable).destroyed) return;
        const { bytes } = await work.compose({ background: raw, backgroundKey: image.fileId!, format, design, ...assets }, { encoding });
        const { width, height } = AD_FORMATS[format];
        zip.addBuffer(bytes, `${stem}-${format}-${width}x${height}.${type}`, { compress: false });
      }
      zip.end();
    } catch (error) {
      console.error("[export] failed:", error instanceof Error ? error.message : error);
      (zip.outputStream as Readable).destroy(error instanceof Error ? error : new Error("export failed"));
    }
  });
  return new Response(Readable.toWeb(zip.outputStream as Readable) as ReadableStream<Uint8Array>, { headers });
}

/** What an export's files are: PNG (lossless, the default) or JPEG (what most ad platforms take, a fraction of the size). */
const EXPORTS = { png: { encoding: "png", mimeType: "image/png" }, jpg: { encoding: "jpeg", mimeType: "image/jpeg" } } as const;
type ExportType = keyof typeof EXPORTS;
const EXPORT_TYPES = Object.keys(EXPORTS) as ExportType[];
const isExportType = (value: string): value is ExportType => Object.hasOwn(EXPORTS, value);

function parseIndex(raw: string, job: JobRecord): number | null {
  if (!/^\d{1,3}$/.test(raw)) return null;
  const index = Number(raw);
  const image = job.images.find((i) => i.index === index);
  return image && image.status === "done" && image.fileId ? index : null;
}
