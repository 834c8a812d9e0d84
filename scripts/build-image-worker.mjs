/**
 * Bundles the image worker (lib/server/image-work/image-worker.ts) to .next/image-worker.mjs.
 * Next bundles the server code into chunks, so a worker thread needs a file of its own; esbuild
 * resolves the same `@/` paths and the `react-server` condition (server-only) that Next does, and
 * leaves the native packages (sharp, Skia) to node_modules. Run by `npm run build` and `npm run dev`.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outfile = path.join(root, ".next", "image-worker.mjs");

await build({
  entryPoints: [path.join(root, "lib/server/image-work/image-worker.ts")],
  outfile,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  conditions: ["react-server"],
  external: ["sharp", "@napi-rs/canvas"],
  tsconfig: path.join(root, "tsconfig.json"),
  logLevel: "warning",
  // Bundled CommonJS helpers may call require(); give the ES module one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});
console.log(`image worker: ${path.relative(root, outfile)}`);
