import "server-only";
import { composeCreative, decodePicture, type ComposeInput } from "../compositing/compositor";
import { previewOfDecoded } from "../previews/preview-image";
import type { Composite } from "./image-work";

/** Width of the finished ad's preview in the grid. */
export const THUMBNAIL_WIDTH = 640;

/** See `ImageWork.finish`: one decode for the raw preview and the composite. */
export async function finishCreative(input: ComposeInput, onPreview?: (webp: Buffer) => void): Promise<Composite> {
  const decoded = await decodePicture(input.background);
  if (onPreview) {
    try {
      onPreview(await previewOfDecoded(decoded));
    } catch {
      // A preview is a courtesy: the ad itself is made and reported on its own path.
    }
  }
  return composeCreative({ ...input, decoded }, { thumbnailWidth: THUMBNAIL_WIDTH });
}
