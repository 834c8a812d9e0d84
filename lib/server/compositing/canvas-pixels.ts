import "server-only";
import type { SKRSContext2D } from "@napi-rs/canvas";
import sharp, { type Sharp } from "sharp";

/**
 * A canvas's pixels as sharp input, without a copy: Skia draws and scales, sharp encodes (its
 * WebP encoder is twice as fast as Skia's, and far smaller on tiny pictures).
 */
export function sharpOfCanvas(ctx: SKRSContext2D, width: number, height: number): Sharp {
  const pixels = ctx.getImageData(0, 0, width, height);
  return sharp(Buffer.from(pixels.data.buffer, pixels.data.byteOffset, pixels.data.byteLength), { raw: { width, height, channels: 4 } });
}
