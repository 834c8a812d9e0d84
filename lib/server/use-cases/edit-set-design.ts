import "server-only";
import type { AdFormatId } from "@/lib/ad-formats";
import type { Design } from "@/lib/design";
import { setCopyLengthIssues } from "@/lib/platform-copy";
import { creativeDesign, setFormats } from "@/lib/variants";
import type { Caller } from "../auth/caller";
import { loadBrandAssets, missingUpload } from "../branding/brand-assets";
import { recomposeCreatives, variantsAfterCampaignEdit } from "../jobs/edit-creatives";
import type { ImageRecord } from "../storage/logged-events";
import { AppError } from "./app-error";
import { requireOwnedJob } from "./find-job";
import { editDeps, finishedJob } from "./finished-job";
import type { UseCaseContext } from "./use-case-context";

export interface DesignPatch {
  design?: Partial<Design>;
  /** Another format for a set in one format (a crop of each picture). */
  format?: AdFormatId;
}

/**
 * New copy, colours, logo, layout or format for every finished creative of a set, re-composited
 * from the kept pictures (no model call). Copy a ticked platform would cut is refused, line by line.
 */
export async function editSetDesign(context: UseCaseContext, caller: Caller, jobId: string, patch: DesignPatch): Promise<{ design: Design; format: AdFormatId; images: ImageRecord[]; elapsedMs: number }> {
  await requireOwnedJob(context, caller, jobId);
  // One writer per job: the patch applies to the design as the edit before it left it.
  return context.jobs.exclusive(jobId, async () => {
    const job = await finishedJob(context, jobId);
    const design: Design = { ...job.design, ...patch.design };
    const formats = setFormats(job.format, job.images.map((image) => image.variant));
    // Another format replaces the set's only one; a set in several adds formats instead (the rerun use case, "format").
    const replacing = patch.format !== undefined && patch.format !== job.format;
    if (replacing && formats.length > 1) {
      throw new AppError("conflict", 'This set is in several formats: add another with POST /api/jobs/{id}/images and action "format" instead of replacing them.', { issues: [{ path: "format", message: "Leave format out, or add the format to the set." }] });
    }
    const format = patch.format ?? job.format;
    const variants = variantsAfterCampaignEdit(job, patch.design ?? {});
    const tooLong = setCopyLengthIssues([design, ...job.images.map((image) => creativeDesign(design, variants.has(image.index) ? variants.get(image.index) : image.variant))], replacing ? [format] : formats);
    if (tooLong.length > 0) throw new AppError("invalid", "Some copy is longer than the platform shows: shorten the fields listed in issues.", { issues: tooLong.map((issue) => ({ path: `design.${issue.key}`, message: issue.message })) });
    const deps = editDeps(context, caller.workspaceId);
    const assets = await loadBrandAssets(deps, design);
    const missing = missingUpload(design, assets);
    if (missing) throw new AppError("invalid", missing.message, { field: missing.path });
    await context.repo.updateDesign(job.id, design, format);
    // Choosing another set-wide layout replaces per-creative choices, so the change is visible
    // everywhere; an edit that sends the layout the set already has (the form sends the whole
    // design) keeps them.
    const clearOverrides = patch.design?.layout !== undefined && patch.design.layout !== job.design.layout;
    const started = context.now();
    const images = await recomposeCreatives(deps, job, { design, ...(replacing ? { format } : {}), indices: job.images.map((i) => i.index), layoutOverride: clearOverrides ? design.layout : undefined, assets, variants });
    return { design, format, images, elapsedMs: context.now() - started };
  });
}
