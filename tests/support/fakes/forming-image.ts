/**
 * Pictures "forming" for the stand-ins that stream previews: at fraction 0 a grey blur, at 1 the
 * seed's colour with a sharp sun, in between a mix. Real (decodable) PNG/JPEG made by sharp.
 */
import sharp from "sharp";
import { colourForSeed } from "./fake-image";

export async function formingImage(width: number, height: number, seed: number, fraction: number, format: "png" | "jpeg" = "png"): Promise<Buffer> {
  const t = Math.max(0, Math.min(1, fraction));
  const [r, g, b] = colourForSeed(seed);
  const mix = (channel: number) => Math.round(128 + (channel - 128) * t);
  const radius = Math.round(Math.min(width, height) * (0.12 + 0.22 * t));
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect width="100%" height="100%" fill="rgb(${mix(r)},${mix(g)},${mix(b)})"/>
    <circle cx="${Math.round(width * 0.62)}" cy="${Math.round(height * 0.4)}" r="${radius}" fill="rgb(255,${Math.round(200 + 40 * t)},${Math.round(120 + 60 * t)})" fill-opacity="${(0.35 + 0.65 * t).toFixed(2)}"/>
    <rect y="${Math.round(height * 0.7)}" width="100%" height="${Math.round(height * 0.3)}" fill="rgb(${Math.round(r * 0.5)},${Math.round(g * 0.5)},${Math.round(b * 0.5)})" fill-opacity="${(0.3 + 0.7 * t).toFixed(2)}"/>
  </svg>`;
  let image = sharp(Buffer.from(svg));
  const blur = (1 - t) * 12;
  if (blur >= 0.3) image = image.blur(blur);
  return (format === "png" ? image.png() : image.jpeg({ quality: 80 })).toBuffer();
}

/** Bytes that claim to be a PNG and are not one: what a broken preview looks like. */
export const CORRUPT_PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from("this is not the rest of a picture")]);
