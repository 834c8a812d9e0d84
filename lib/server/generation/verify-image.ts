import "server-only";
import sharp, { type Metadata } from "sharp";
import { ProviderError } from "../providers/provider-error";

export interface VerifiedImage {
  mimeType: "image/png" | "image/jpeg" | "image/webp";
  extension: "png" | "jpg" | "webp";
  width: number;
  height: number;
}

const FORMATS = {
  png: { mimeType: "image/png", extension: "png" },
  jpeg: { mimeType: "image/jpeg", extension: "jpg" },
  webp: { mimeType: "image/webp", extension: "webp" },
} as const;

/** Real providers round or pick their own sizes; any picture this large can be fitted to an ad. */
export const MIN_SHORT_SIDE = 256;
/** Past this a "picture" is a mistake or an attack, not a creative. */
export const MAX_LONG_SIDE = 8192;
export const MAX_ASPECT_RATIO = 4;

/**
 * Proves the bytes are a whole image of a usable size, cheaply: sharp reads the header (format,
 * size) and the container's own end marker shows the file is complete. The size need not be the
 * one asked for (the compositor crops to the platform format), only sensible. The full decode
 * happens once, in the compositor, and a damaged body fails there as a bad image too.
 */
export async function verifyImage(bytes: Buffer, providerLabel: string): Promise<VerifiedImage> {
  if (bytes.length === 0) throw new ProviderError("bad_image", `${providerLabel} returned an empty response instead of an image.`);

  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { limitInputPixels: 64_000_000 }).metadata();
  } catch {
    throw new ProviderError("bad_image", `${providerLabel} returned something that is not an image${describeText(bytes)}.`);
  }
  const format = metadata.format && metadata.format in FORMATS ? FORMATS[metadata.format as keyof typeof FORMATS] : undefined;
  if (!format) {
    throw new ProviderError("bad_image", `${providerLabel} returned an unsupported image format (${metadata.format ?? "unknown"}).`);
  }
  const width = metadata.width ?? 0;
  const height = metadata.height ?? 0;
  const short = Math.min(width, height);
  const long = Math.max(width, height);
  if (short < MIN_SHORT_SIDE || long > MAX_LONG_SIDE || long > short * MAX_ASPECT_RATIO) {
    throw new ProviderError(
      "bad_image",
      `${providerLabel} returned a ${width}×${height} image, which cannot make an ad (the short side must be at least ${MIN_SHORT_SIDE} px, the long side at most ${MAX_LONG_SIDE} px and ${MAX_ASPECT_RATIO}× the short one).`,
    );
  }
  if (!isComplete(bytes, format.extension)) {
    throw new ProviderError("bad_image", `${providerLabel} returned a damaged or incomplete image.`);
  }
  return { ...format, width, height };
}

/** Whether the container ends where its format says it must (PNG IEND, JPEG EOI, RIFF size). */
export function isComplete(bytes: Buffer, extension: "png" | "jpg" | "webp"): boolean {
  if (extension === "png") return bytes.length >= 12 && bytes.subarray(bytes.length - 8, bytes.length - 4).toString("latin1") === "IEND";
  if (extension === "jpg") {
    // Some encoders pad after the end-of-image marker; look for it near the end.
    const tail = bytes.subarray(Math.max(0, bytes.length - 64));
    for (let i = tail.length - 2; i >= 0; i--) if (tail[i] === 0xff && tail[i + 1] === 0xd9) return true;
    return false;
  }
  return bytes.length >= 12 && bytes.readUInt32LE(4) + 8 <= bytes.length;
}

function describeText(bytes: Buffer): string {
  const head = bytes.subarray(0, 64).toString("utf8").trimStart().toLowerCase();
  if (head.startsWith("<!doctype html") || head.startsWith("<html")) return " (an HTML page)";
  if (head.startsWith("{")) return " (a JSON document)";
  return "";
}
