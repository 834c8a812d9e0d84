import "server-only";
import type { AdFormatId } from "@/lib/ad-formats";
import type { Design, LayoutId } from "@/lib/design";
import type { ImageRecord, JobEvent } from "./job-events";
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
  change: { design: Design; format: AdFormatId; indices: number[]; layoutOverride?: LayoutId; assets?: BrandAssets },
): Promise<ImageRecord[]> {
  const { store } = deps;
  const { design, format, indices, layoutOverride } = change;
  const assets = change.assets ?? (await loadBrandAssets(deps, design));
  const events: ImageRecord[] = [];
  for (const image of job.images) {
    if (!indices.includes(image.index) || image.status !== "done" || !image.fileId) continue;
    const raw = await store.read(image.fileId);
    if (!raw) continue;
    const layout = layoutOverride ?? image.layout;
    const creative = await storeCreative(deps, { bytes: raw, extension: "png", rawId: image.fileId }, design, format, assets, layout);
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
      model: job.model,
      ...(image.route ? { route: image.route } : {}),
      ...(image.sourceWidth && image.sourceHeight ? { sourceWidth: image.sourceWidth, sourceHeight: image.sourceHeight } : {}),
      elapsedMs: image.elapsedMs ?? 0,
      mimeType: creative.mimeType,
      bytes: creative.bytes,
      placeholder: creative.placeholder,
      readyAt: deps.now(),
    };
    // Recording the event updates the image row and deletes the ad it replaces.
    await deps.appendEvent(job.id, { event: "image", data: event });
    events.push(event);
  }
  return events;
}
