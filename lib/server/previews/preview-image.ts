import "server-only";
import { createCanvas, type Image } from "@napi-rs/canvas";
import sharp from "sharp";
import { sharpOfCanvas } from "../compositing/canvas-pixels";

/** Long side of a preview: enough for a grid slot, small enough to send at once. */
export const PREVIEW_MAX_SIDE = 512;
const PREVIEW_QUALITY = 55;

/**
 * A small WebP of a picture's bytes (a step preview), made with one decode (sharp shrinks JPEG
 * and WebP while decoding). Throws for bytes that are not a whole image; the caller skips it.
 */
export async function makePreview(bytes: Buffer): Promise<Buffer> {
  // Sequential read streams a PNG through the resize instead of holding the whole picture.
  return sharp(bytes, { limitInputPixels: 64_000_000, failOn: "truncated", sequentialRead: true })
    .resize(PREVIEW_MAX_SIDE, PREVIEW_MAX_SIDE, { fit: "inside", withoutEnlargement: true })
    .webp({ quality: PREVIEW_QUALITY, effort: 0 })
    .toBuffer();
}

/**
 * The same preview from a picture already decoded for compositing, so the finished picture is
 * decoded once: Skia scales it, sharp encodes the WebP (Skia's WebP encoder is twice as slow).
 */
export async function previewOfDecoded(image: Image): Promise<Buffer> {
  const scale = Math.min(1, PREVIEW_MAX_SIDE / Math.max(image.width, image.height));
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const ctx = createCanvas(width, height).getContext("2d");
  ctx.drawImage(image, 0, 0, width, height);
  return sharpOfCanvas(ctx, width, height).webp({ quality: PREVIEW_QUALITY, effort: 0 }).toBuffer();
}
