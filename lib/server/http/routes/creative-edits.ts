import "server-only";
import type { z } from "zod";
import { Readable } from "node:stream";
import type { designEditSchema, layoutEditSchema } from "@/lib/api-answers";
import { appContext } from "../../app-context";
import { toWireImage } from "../wire-events";
import { designPatchSchema, layoutPatchSchema } from "../../jobs/job-requests";
import { AppError } from "../../use-cases/app-error";
import { editCreative } from "../../use-cases/edit-creative";
import { editSetDesign } from "../../use-cases/edit-set-design";
import { EXPORT_TYPES, exportAllFormats as exportZip, isExportType } from "../../use-cases/export-all-formats";
import { jobCallerOf } from "../authorize";
import { answer } from "../error-response";
import { readParsedBody } from "../read-json-body";

const MAX_BODY_BYTES = 16 * 1024;
const NO_STORE = { "Cache-Control": "no-store" };

/** A creative's number from the path; one that is not a number answers as a missing creative. */
function parseIndex(raw: string): number {
  if (!/^\d{1,3}$/.test(raw)) throw new AppError("not-found", "This job has no finished image with that number.");
  return Number(raw);
}

/** PATCH /api/jobs/{id}/design: new copy, colours, logo, layout or format for every finished creative. */
export function updateJobDesign(request: Request, rawId: string): Promise<Response> {
  return answer(async () => {
    const { caller, jobId } = await jobCallerOf(request, rawId);
    const patch = await readParsedBody(request, MAX_BODY_BYTES, designPatchSchema, "The design is not valid: fix the fields listed in issues.");
    const edited = await editSetDesign(appContext(), caller, jobId, patch);
    return Response.json({ ...edited, images: edited.images.map(toWireImage) } satisfies z.infer<typeof designEditSchema>, { headers: NO_STORE });
  });
}

/** PATCH /api/jobs/{id}/images/{index}: another layout, or its own copy, for one creative. */
export function updateCreativeLayout(request: Request, rawId: string, rawIndex: string): Promise<Response> {
  return answer(async () => {
    const { caller, jobId } = await jobCallerOf(request, rawId);
    const index = parseIndex(rawIndex);
    const change = await readParsedBody(request, MAX_BODY_BYTES, layoutPatchSchema, "The change is not valid: fix the fields listed in issues.");
    const images = await editCreative(appContext(), caller, jobId, index, change);
    return Response.json({ images: images.map(toWireImage) } satisfies z.infer<typeof layoutEditSchema>, { headers: NO_STORE });
  });
}

/**
 * GET /api/jobs/{id}/images/{index}/export?type=png|jpg: one creative in every platform format, as
 * a zip of PNGs (the default) or JPEGs. HEAD (`headOnly`) checks the same and composes nothing.
 */
export function exportAllFormats(request: Request, rawId: string, rawIndex: string, options: { headOnly?: boolean } = {}): Promise<Response> {
  return answer(async () => {
    const { caller, jobId } = await jobCallerOf(request, rawId);
    const index = parseIndex(rawIndex);
    const type = new URL(request.url).searchParams.get("type") ?? "png";
    if (!isExportType(type)) throw new AppError("invalid", `type must be ${EXPORT_TYPES.join(" or ")}.`, { issues: [{ path: "type", message: `Use ${EXPORT_TYPES.join(" or ")}.` }] });
    const exported = await exportZip(appContext(), caller, jobId, index, type, { checkOnly: options.headOnly === true });
    const headers = { "Content-Type": "application/zip", "Content-Disposition": `attachment; filename="${exported.filename}"`, ...NO_STORE };
    if (!exported.zip) return new Response(null, { headers });
    return new Response(Readable.toWeb(exported.zip) as ReadableStream<Uint8Array>, { headers });
  });
}
