import "server-only";
import type { AdFormatId } from "@/lib/ad-formats";
import type { Design, LayoutId } from "@/lib/design";
import type { BrandAssets } from "../branding/brand-assets";
import type { StoredImage } from "../generation/runner";
import type { ImageStorage } from "../storage/storage";
import { composeCreative } from "./compositor";

const THUMBNAIL_WIDTH = 640;

/**
 * Turns a provider's picture into a finished ad: keeps the raw picture, composites brand and copy
 * at the platform size, and stores the ad with a preview. Every step writes atomically; a failure
 * removes what this call had written.
 */
export async function storeCreative(
  store: ImageStorage,
  raw: { bytes: Buffer; extension: "png" | "jpg" | "webp"; rawId?: string },
  design: Design,
  format: AdFormatId,
  assets: BrandAssets,
  layout: LayoutId | null = null,
): Promise<StoredImage> {
  const written: string[] = [];
  try {
    let rawId = raw.rawId;
    if (!rawId) {
      const saved = await store.save(raw.bytes, raw.extension);
      rawId = saved.id;
      written.push(saved.id);
    }
    const effective = layout ? { ...design, layout } : design;
    const composite = await composeCreative(
      { background: raw.bytes, backgroundKey: rawId, format, design: effective, ...assets },
      { thumbnailWidth: THUMBNAIL_WIDTH },
    );
    const saves = await Promise.allSettled([store.save(composite.bytes, "jpg"), store.save(composite.thumbnail!, "webp")]);
    for (const result of saves) if (result.status === "fulfilled") written.push(result.value.id);
    const failed = saves.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
    const placeholder = composite.placeholder!;
    const [saved, thumb] = saves.map((result) => (result as PromiseFulfilledResult<{ id: string }>).value) as [{ id: string }, { id: string }];
    return {
      placeholder: `data:image/webp;base64,${placeholder.toString("base64")}`,
      compositeId: saved.id,
      thumbId: thumb.id,
      rawId,
      width: composite.report.width,
      height: composite.report.height,
      bytes: composite.bytes.length,
      mimeType: composite.mimeType,
      layout: effective.layout,
    };
  } catch (error) {
    await store.remove(written);
    throw error;
  }
}

