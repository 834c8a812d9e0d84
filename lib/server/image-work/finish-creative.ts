import "server-only";
import { composeCreative, type ComposeInput, type Composite } from "../compositing/compositor";
import { decodePicture } from "../compositing/fitted-background";
import { previewOfDecoded } from "../previews/preview-image";
import { PreviewGate } from "./preview-gate";

/** Width of the finished ad's preview in the grid. */
export const THUMBNAIL_WIDTH = 640;

/** This thread's previews go before its composites (one gate per image worker). */
const previewsFirst = new PreviewGate();

/** See `ImageWork.finish`: one decode for the raw preview and the composite. */
export async function finishCreative(input: ComposeInput, onPreview?: (webp: Buffer) => void): Promise<Composite> {
  const decoded = onPreview ? await previewsFirst.track(decodeAndPreview(input.background, onPreview)) : await decodePicture(input.background);
  await previewsFirst.idle();
  return composeCreative({ ...input, decoded }, { thumbnailWidth: THUMBNAIL_WIDTH });
}

async function decodeAndPreview(bytes: Buffer, onPreview: (webp: Buffer) => void) {
  const decoded = await decodePicture(bytes);
  try {
    onPreview(await previewOfDecoded(decoded));
  } catch {
    // A preview is a courtesy: the ad itself is made and reported on its own path.
  }
  return decoded;
}
