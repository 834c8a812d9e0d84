import "server-only";
import { normaliseLogo } from "../branding/logo-image";
import { normaliseProduct } from "../branding/product-image";
import { composeCreative } from "../compositing/compositor";
import { makePreview } from "../previews/preview-image";
import { renderAdBackground } from "../providers/builtin/render";
import { finishCreative } from "./finish-creative";
import type { ImageWork } from "./image-work";

/** The image work on the calling thread: for unit tests, scripts, and `IMAGE_WORKERS=0`. */
export function inThreadImageWork(): ImageWork {
  return {
    preview: makePreview,
    finish: finishCreative,
    compose: composeCreative,
    render: renderAdBackground,
    normaliseLogo,
    normaliseProduct,
    close: async () => {},
  };
}
