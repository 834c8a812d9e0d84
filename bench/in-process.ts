// The renderer and compositor measured directly (run with the react-server condition so their
// `server-only` guard allows it).
export { renderAdBackground } from "../lib/server/providers/builtin/render";
export { composeCreative } from "../lib/server/compositing/compositor";
