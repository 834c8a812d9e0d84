/**
 * What an instruction-editing model (FLUX.1 Kontext, Qwen-Image-Edit) does with "keep the product,
 * build the scene around it" in the stand-ins: the plain light backdrop it was shown becomes a
 * scene, everything else is kept but redrawn with its hue turned (as real models drift), so a test
 * can tell the model's product from the packshot pasted back over it.
 */
import sharp from "sharp";
import { fakeImage } from "./fake-image";

/** A data URI's bytes, or undefined when it is not a base64 image. */
export function imageFromDataUri(value: unknown): Buffer | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^data:image\/(png|jpeg|webp);base64,(.+)$/s.exec(value);
  return match ? Buffer.from(match[2]!, "base64") : undefined;
}

/** The edited picture at `size` (the input's size when absent), and the input's shape. */
export async function instructionEdit(shown: Buffer, seed: number, format: "png" | "jpeg", size?: { width: number; height: number }): Promise<{ bytes: Buffer; width: number; height: number; shown: { width: number; height: number } }> {
  const { data, info } = await sharp(shown).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  for (let i = 0; i < data.length; i += 4) {
    const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
    if (Math.max(r, g, b) - Math.min(r, g, b) < 12 && r > 200) data[i + 3] = 0;
  }
  const kept = await sharp(data, { raw: { width: info.width, height: info.height, channels: 4 } }).modulate({ hue: 90 }).png().toBuffer();
  const width = size?.width ?? info.width;
  const height = size?.height ?? info.height;
  const scene = await fakeImage(info.width, info.height, "png", seed);
  const composed = await sharp(scene).composite([{ input: kept }]).png().toBuffer();
  const resized = sharp(composed).resize(width, height, { fit: "fill" });
  const bytes = await (format === "png" ? resized.png() : resized.jpeg({ quality: 92 })).toBuffer();
  return { bytes, width, height, shown: { width: info.width, height: info.height } };
}
