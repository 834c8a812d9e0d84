import "server-only";
import type { AdFormatId } from "@/lib/ad-formats";
import type { Design, LayoutId } from "@/lib/design";
import type { ImageStore } from "../storage/image-store";
import { composeCreative } from "./compositor";

export interface StoredCreative {
  url: string;
  thumbUrl: string;
  rawUrl: string;
  width: number;
  height: number;
  bytes: number;
  mimeType: string;
  layout: LayoutId;
}

const idFromUrl = (url: string) => url.slice(url.lastIndexOf("/") + 1);

/**
 * Turns a provider's picture into a finished ad: keeps the raw picture, composites brand and copy
 * at the platform size, and stores the ad with a preview. Every step writes atomically; a failure
 * removes what this call had written.
 */
export async function storeCreative(
  store: ImageStore,
  raw: { bytes: Buffer; extension: "png" | "jpg" | "webp"; rawId?: string },
  design: Design,
  format: AdFormatId,
  logo: Buffer | null,
  layout: LayoutId | null = null,
): Promise<StoredCreative & { written: string[] }> {
  const written: string[] = [];
  try {
    let rawId = raw.rawId;
    if (!rawId) {
      const saved = await store.save(raw.bytes, raw.extension);
      rawId = saved.id;
      written.push(saved.id);
    }
    const effective = layout ? { ...design, layout } : design;
    const composite = await composeCreative({ background: raw.bytes, backgroundKey: rawId, format, design: effective, logo });
    const saved = await store.saveWithThumbnail(composite.bytes, "jpg");
    written.push(saved.id, saved.thumbId);
    return {
      url: saved.url,
      thumbUrl: saved.thumbUrl,
      rawUrl: `/api/images/${rawId}`,
      width: composite.report.width,
      height: composite.report.height,
      bytes: composite.bytes.length,
      mimeType: composite.mimeType,
      layout: effective.layout,
      written,
    };
  } catch (error) {
    await store.remove(written);
    throw error;
  }
}

export { idFromUrl };
