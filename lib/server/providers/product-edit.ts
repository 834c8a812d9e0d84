import "server-only";
import sharp from "sharp";

/**
 * What instruction-editing models (FLUX.1 Kontext, Qwen-Image-Edit) need around the packshot the
 * runner shows them. They take no mask and read no transparency, so the cut-out is shown on a
 * plain light backdrop the prompt tells them to replace; and they may answer at a size rounded to
 * their own grid, which is scaled back so the product lands where the compositor pastes it.
 */

const BACKDROP = { r: 226, g: 226, b: 226 };

/** The transparent reference flattened on a plain light grey, as a PNG. */
export async function referenceOnBackdrop(reference: Buffer): Promise<Buffer> {
  return sharp(reference).flatten({ background: BACKDROP }).png({ compressionLevel: 3 }).toBuffer();
}

/**
 * The edited picture at exactly the reference's size. A picture within 3% of its shape was the
 * same frame at another resolution and is scaled to fit; anything else is cropped from the centre
 * as the compositor crops.
 */
export async function atReferenceSize(bytes: Buffer, size: { width: number; height: number }): Promise<Buffer> {
  const meta = await sharp(bytes).metadata();
  if (meta.width === size.width && meta.height === size.height) return bytes;
  const aspect = (meta.width ?? size.width) / (meta.height ?? size.height) / (size.width / size.height);
  const fit = Math.abs(Math.log(aspect)) < Math.log(1.03) ? "fill" : "cover";
  return sharp(bytes).resize(size.width, size.height, { fit, position: "centre" }).png({ compressionLevel: 3 }).toBuffer();
}
