import "server-only";
import sharp from "sharp";
import { outputSize, type AdFormatId } from "@/lib/ad-formats";
import type { LayoutId } from "@/lib/design";
import type { Rect } from "./contrast";
import { canvasToPicture, productPlacement } from "./product-placement";

/** What a model that edits from a reference is shown: the packshot where the ad will have it. */
export interface ProductReference {
  /** A PNG of the requested picture size: the cut-out at its place, transparent everywhere else (the part to generate). */
  image: Buffer;
  /** Where the cut-out is in that picture, in its pixels. */
  rect: Rect;
}

/**
 * The packshot placed on a transparent picture of the provider's size, exactly where the
 * compositor will paste it back once that picture is fitted to the ad's canvas.
 */
export async function productReference(product: Buffer, layout: LayoutId, format: AdFormatId, picture: { width: number; height: number }): Promise<ProductReference> {
  const size = await sharp(product).metadata();
  const placed = productPlacement(layout, format, { width: size.width ?? 1, height: size.height ?? 1 });
  const mapped = canvasToPicture(placed, outputSize(format), picture);
  // Rounding may reach a pixel past the edge, which sharp refuses to composite.
  const x = Math.max(0, Math.min(mapped.x, picture.width - 1));
  const y = Math.max(0, Math.min(mapped.y, picture.height - 1));
  const rect = { x, y, width: Math.min(mapped.width, picture.width - x), height: Math.min(mapped.height, picture.height - y) };
  const cutout = await sharp(product).resize(Math.max(1, rect.width), Math.max(1, rect.height), { fit: "fill" }).png().toBuffer();
  const image = await sharp({ create: { width: picture.width, height: picture.height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
    .composite([{ input: cutout, left: rect.x, top: rect.y }])
    .png({ compressionLevel: 3 })
    .toBuffer();
  return { image, rect };
}

/**
 * What a run needs to know of the design's packshot (always a PNG: uploads are stored as one),
 * read from its header so a run can start without decoding it.
 */
export function productForRun(png: Buffer | null, layoutOf: (index: number) => LayoutId | null): { png: Buffer; width: number; height: number; layoutOf: (index: number) => LayoutId | null } | undefined {
  // The IHDR chunk follows the 8-byte signature: length, type, then width and height.
  if (!png || png.length < 24 || png.toString("latin1", 12, 16) !== "IHDR") return undefined;
  return { png, width: png.readUInt32BE(16), height: png.readUInt32BE(20), layoutOf };
}
