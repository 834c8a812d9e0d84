import "server-only";
import sharp from "sharp";

/** Long side of a preview: enough for a grid slot, small enough to send at once. */
export const PREVIEW_MAX_SIDE = 512;
const PREVIEW_QUALITY = 55;

/**
 * A small WebP of a picture, made with one decode (sharp shrinks JPEG and WebP while decoding).
 * Throws for bytes that are not a whole image; the caller skips that preview.
 */
export async function makePreview(bytes: Buffer): Promise<Buffer> {
  // Sequential read streams a PNG through the resize instead of holding the whole picture.
  return sharp(bytes, { limitInputPixels: 64_000_000, failOn: "truncated", sequentialRead: true })
    .resize(PREVIEW_MAX_SIDE, PREVIEW_MAX_SIDE, { fit: "inside", withoutEnlargement: true })
    .webp({ quality: PREVIEW_QUALITY, effort: 0 })
    .toBuffer();
}
