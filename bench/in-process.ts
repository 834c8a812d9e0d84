// The renderer, compositor and image steps measured directly (run with the react-server condition
// so their `server-only` guard allows it).
export { renderAdBackground } from "../lib/server/providers/builtin/render";
export { composeCreative } from "../lib/server/compositing/compositor";
export { decodePicture } from "../lib/server/compositing/fitted-background";
export { makePreview, previewOfDecoded } from "../lib/server/previews/preview-image";
export { verifyImage } from "../lib/server/generation/verify-image";
export { FileImageStore } from "../lib/server/storage/files/file-image-store";
export { DEFAULT_DESIGN } from "../lib/design";
