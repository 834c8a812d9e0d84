import "server-only";
import type { AdFormatId } from "@/lib/ad-formats";
import type { Design, LayoutId } from "@/lib/design";
import type { BrandAssets } from "../branding/brand-assets";
import type { StoredImage } from "../generation/runner";
import type { ImageWork } from "../image-work/image-work";
import type { ImageStorage } from "../storage/storage";

/**
 * Turns a provider's picture into a finished ad: keeps the raw picture, composites brand and copy
 * at the platform size (on the image workers, while the raw picture is written), and stores the
 * ad with a preview. Every step writes atomically; a failure removes what this call had written.
 * `onPreview` receives the raw picture's preview, made from the same decode as the ad.
 */
export async function storeCreative(
  deps: { store: ImageStorage; work: ImageWork },
  raw: { bytes: Buffer; extension: "png" | "jpg" | "webp"; rawId?: string },
  design: Design,
  format: AdFormatId,
  assets: BrandAssets,
  layout: LayoutId | null = null,
  onPreview?: (webp: Buffer) => void,
): Promise<StoredImage> {
  const { store, work } = deps;
  const written: string[] = [];
  try {
    const effective = layout ? { ...design, layout } : design;
    const [rawSave, composed] = await Promise.allSettled([
      raw.rawId ? Promise.resolve({ id: raw.rawId }) : store.save(raw.bytes, raw.extension),
      // Edits re-composite from the kept picture, whose fitted background is cached by its id.
      work.finish({ background: raw.bytes, backgroundKey: raw.rawId, format, design: effective, ...assets }, onPreview),
    ]);
    if (rawSave.status === "fulfilled" && !raw.rawId) written.push(rawSave.value.id);
    if (rawSave.status === "rejected") throw rawSave.reason;
    if (composed.status === "rejected") throw composed.reason;
    const rawId = rawSave.value.id;
    const composite = composed.value;
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
