import "server-only";
import { ImageData, loadImage, type Image, type SKRSContext2D } from "@napi-rs/canvas";
import sharp from "sharp";
import { outputSize } from "@/lib/ad-formats";
import { ProviderError } from "../providers/provider-error";
import type { ComposeInput } from "./compose-types";
import { cropShareOf } from "./crop-share";

// The picture under an ad, fitted to the platform size, and the cache that lets edits redraw only the copy.

export type Painter = { width: number; height: number; paint: (ctx: SKRSContext2D) => void };
const backgroundCache = new Map<string, Painter>();
const CACHE_ENTRIES = 24;

/**
 * The picture fitted to the platform size, cached per background and format so edits only redraw
 * the copy. Small crops (the model was asked for a near-identical aspect) are decoded and scaled by
 * Skia in one step; large crops (say square → story) use sharp's attention strategy to keep the
 * interesting part, which costs more but only runs when a format change needs it.
 */
export async function fittedBackground(input: ComposeInput): Promise<Painter> {
  const { width, height } = outputSize(input.format);
  const key = input.backgroundKey ? `${input.backgroundKey}:${input.format}:${input.product ? "centre" : "attention"}` : undefined;
  const cached = key ? backgroundCache.get(key) : undefined;
  if (key && cached) {
    backgroundCache.delete(key);
    backgroundCache.set(key, cached);
    return cached;
  }
  const source = await sharp(input.background).metadata();
  const sourceWidth = source.width ?? width;
  const sourceHeight = source.height ?? height;
  const cropShare = cropShareOf({ width: sourceWidth, height: sourceHeight }, { width, height });

  let painter: Painter;
  if (cropShare <= 0.05) {
    const image = input.decoded ?? (await decodePicture(input.background));
    const scale = Math.max(width / image.width, height / image.height);
    const sw = width / scale;
    const sh = height / scale;
    const sx = (image.width - sw) / 2;
    const sy = (image.height - sh) / 2;
    painter = { width, height, paint: (ctx) => ctx.drawImage(image, sx, sy, sw, sh, 0, 0, width, height) };
  } else {
    const { data } = await sharp(input.background)
      // A scene built around the product is cropped from the centre, as its packshot was placed.
      .resize(width, height, { fit: "cover", position: input.product ? "centre" : sharp.strategy.attention, kernel: "linear" })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const imageData = new ImageData(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), width, height);
    painter = { width, height, paint: (ctx) => ctx.putImageData(imageData, 0, 0) };
  }
  if (!key) return painter;
  backgroundCache.set(key, painter);
  if (backgroundCache.size > CACHE_ENTRIES) backgroundCache.delete(backgroundCache.keys().next().value!);
  return painter;
}

/** Decodes a picture with Skia; a damaged body is the provider's fault, said as such. */
export async function decodePicture(bytes: Buffer): Promise<Image> {
  return loadImage(bytes).catch(() => {
    throw new ProviderError("bad_image", "The picture could not be decoded: it is damaged.");
  });
}
