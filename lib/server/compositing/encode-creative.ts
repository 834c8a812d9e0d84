import "server-only";
import { createCanvas, type Canvas } from "@napi-rs/canvas";
import { sharpOfCanvas } from "./canvas-pixels";
import type { ComposeOptions, Composite } from "./compose-types";

/**
 * A finished ad's files from its canvas: the ad itself (JPEG at quality 90, or lossless PNG), and
 * when asked a WebP preview for grids and a tiny placeholder, both made from the canvas rather than
 * by decoding the ad again.
 */
export async function encodeCreative(canvas: Canvas, options: Pick<ComposeOptions, "encoding" | "thumbnailWidth">): Promise<Omit<Composite, "report">> {
  const bytes = options.encoding === "png" ? await canvas.encode("png") : await canvas.encode("jpeg", 90);
  const mimeType = options.encoding === "png" ? "image/png" : "image/jpeg";
  if (!options.thumbnailWidth) return { bytes, mimeType };
  const thumbWidth = Math.min(options.thumbnailWidth, canvas.width);
  const thumbHeight = Math.round((canvas.height * thumbWidth) / canvas.width);
  const small = createCanvas(thumbWidth, thumbHeight);
  const smallCtx = small.getContext("2d");
  smallCtx.imageSmoothingQuality = "high";
  smallCtx.drawImage(canvas, 0, 0, thumbWidth, thumbHeight);
  const thumbnail = await sharpOfCanvas(smallCtx, thumbWidth, thumbHeight).webp({ quality: 78, effort: 0 }).toBuffer();
  return { bytes, mimeType, thumbnail, placeholder: await tinyPlaceholder(small) };
}

/**
 * A 16 px blurred WebP of the preview's pixels (about 150 bytes, painted while the preview loads).
 * Skia shrinks the preview (well under a millisecond); sharp encodes it (Skia's WebP of so small
 * a picture is four times larger, and the placeholder travels inside every image event).
 */
async function tinyPlaceholder(source: Canvas): Promise<Buffer> {
  const scale = 16 / Math.max(source.width, source.height);
  const width = Math.max(1, Math.round(source.width * scale));
  const height = Math.max(1, Math.round(source.height * scale));
  const ctx = createCanvas(width, height).getContext("2d");
  ctx.imageSmoothingQuality = "high";
  ctx.drawImage(source, 0, 0, width, height);
  return sharpOfCanvas(ctx, width, height).blur(1).webp({ quality: 40 }).toBuffer();
}
