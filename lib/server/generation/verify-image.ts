import "server-only";
import sharp, { type Metadata } from "sharp";
import { ProviderError } from "../providers/provider-error";

export interface VerifiedImage {
  mimeType: "image/png" | "image/jpeg" | "image/webp";
  extension: "png" | "jpg" | "webp";
  width: number;
  height: number;
  /** A tiny blurred WebP data URL the slot paints before the real image loads. */
  placeholder: string;
}

const FORMATS = {
  png: { mimeType: "image/png", extension: "png" },
  jpeg: { mimeType: "image/jpeg", extension: "jpg" },
  webp: { mimeType: "image/webp", extension: "webp" },
} as const;

/**
 * Proves the bytes are a whole image of the size we asked for. Decoding it fully for the
 * placeholder is what catches truncated files, so verification and placeholder are one pass.
 */
export async function verifyImage(bytes: Buffer, expected: { width: number; height: number }, providerLabel: string): Promise<VerifiedImage> {
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
  if (metadata.width !== expected.width || metadata.height !== expected.height) {
    throw new ProviderError(
      "bad_image",
      `${providerLabel} returned a ${metadata.width}×${metadata.height} image instead of ${expected.width}×${expected.height}.`,
    );
  }

  let placeholderBytes: Buffer;
  try {
    placeholderBytes = await sharp(bytes, { failOn: "truncated", limitInputPixels: 64_000_000 })
      .resize(16, 16, { fit: "inside" })
      .blur(1)
      .webp({ quality: 40 })
      .toBuffer();
  } catch {
    throw new ProviderError("bad_image", `${providerLabel} returned a damaged or incomplete image.`);
  }

  return {
    ...format,
    width: expected.width,
    height: expected.height,
    placeholder: `data:image/webp;base64,${placeholderBytes.toString("base64")}`,
  };
}

function describeText(bytes: Buffer): string {
  const head = bytes.subarray(0, 64).toString("utf8").trimStart().toLowerCase();
  if (head.startsWith("<!doctype html") || head.startsWith("<html")) return " (an HTML page)";
  if (head.startsWith("{")) return " (a JSON document)";
  return "";
}
