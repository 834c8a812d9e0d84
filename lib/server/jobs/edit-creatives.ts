import "server-only";
import type { AdFormatId } from "@/lib/ad-formats";
import { COPY_LINES, type Design, type LayoutId } from "@/lib/design";
import type { CreativeVariant } from "@/lib/variants";
import { creativeDesign, creativeFormat, variantOf } from "@/lib/variants";
import type { ImageRecord, JobEvent } from "../storage/logged-events";
import { loadBrandAssets, type BrandAssets, type UploadSource } from "../branding/brand-assets";
import { storeCreative } from "../compositing/creative-service";
import type { ImageWork } from "../image-work/image-work";
import type { ImageStorage } from "../storage/storage";
import type { JobRecord } from "../storage/job-records";

export interface EditDeps extends UploadSource {
  store: ImageStorage;
  work: ImageWork;
  /** Records a re-composited creative in the job's log (and deletes the files it replaces). */
  appendEvent: (jobId: string, event: JobEvent) => Promise<void>;
  now: () => number;
}

/**
 * Re-composites finished creatives from their kept raw pictures: no model call. Each new ad is
 * stored, recorded as an `image` event in the job's log (so reopening the job shows it), and the
 * files it replaces are removed.
 */
export async function recomposeCreatives(
  deps: EditDeps,
  job: JobRecord,
  change: { design: Design; format?: AdFormatId; indices: number[]; layoutOverride?: LayoutId; assets?: BrandAssets; variants?: Map<number, CreativeVariant | null> },
): Promise<ImageRecord[]> {
  const { store } = deps;
  const { design, indices, layoutOverride } = change;
  const assets = change.assets ?? (await loadBrandAssets(deps, design));
  const events: ImageRecord[] = [];
  for (const image of job.images) {
    if (!indices.includes(image.index) || image.status !== "done" || !image.fileId) continue;
    const raw = await store.read(image.fileId);
    if (!raw) continue;
    const layout = layoutOverride ?? image.layout;
    const variant = change.variants?.has(image.index) ? change.variants.get(image.index)! : image.variant;
    // Each creative keeps its own format unless the (single-format) set is given another.
    const format = change.format ?? creativeFormat(variant, job.format);
    const creative = await storeCreative(deps, { bytes: raw, extension: "png", rawId: image.fileId }, creativeDesign(design, variant), format, assets, layout);
    const event: ImageRecord = {
      index: image.index,
      compositeId: creative.compositeId,
      thumbId: creative.thumbId,
      rawId: creative.rawId,
      format,
      layout: creative.layout,
      width: creative.width,
      height: creative.height,
      seed: image.seed,
      prompt: image.prompt,
      provider: job.provider,
      model: image.model ?? job.model,
      ...(image.route ? { route: image.route } : {}),
      ...(image.sourceWidth && image.sourceHeight ? { sourceWidth: image.sourceWidth, sourceHeight: image.sourceHeight } : {}),
      elapsedMs: image.elapsedMs ?? 0,
      mimeType: creative.mimeType,
      bytes: creative.bytes,
      placeholder: creative.placeholder,
      readyAt: deps.now(),
      ...(variant ? { variant } : {}),
      ...(image.warnings.length > 0 ? { warnings: image.warnings } : {}),
    };
    // Recording the event updates the image row and deletes the ad it replaces.
    await deps.appendEvent(job.id, { event: "image", data: event });
    events.push(event);
  }
  return events;
}

/**
 * A campaign-wide copy edit reaches every creative: the lines it changes are dropped from each
 * creative's own copy (as a new job-wide layout replaces per-creative ones). Only the creatives
 * whose variant changes are in the answer.
 */
export function variantsAfterCampaignEdit(job: JobRecord, patch: Partial<Design>): Map<number, CreativeVariant | null> {
  const changed = COPY_LINES.filter((line) => patch[line] !== undefined && patch[line] !== job.design[line]);
  const variants = new Map<number, CreativeVariant | null>();
  if (changed.length === 0) return variants;
  for (const image of job.images) {
    const copy = image.variant?.copy;
    if (!image.variant || !copy || !changed.some((line) => copy[line] !== undefined)) continue;
    const kept = Object.fromEntries(Object.entries(copy).filter(([line]) => !changed.includes(line as (typeof COPY_LINES)[number])));
    const rest = { ...image.variant };
    delete rest.copy;
    variants.set(image.index, Object.keys(kept).length > 0 ? { ...rest, copy: kept } : rest);
  }
  return variants;
}

/** One creative's own copy, over what it had: an edit on its card. Older creatives get a variant to hold it. */
export function variantWithCopy(image: JobRecord["images"][number], lines: Partial<Record<(typeof COPY_LINES)[number], string>>): CreativeVariant {
  const base = variantOf(image);
  return { ...base, copy: { ...base.copy, ...lines } };
}
