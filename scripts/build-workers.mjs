/**
 * Bundles the two programs Next does not build, into .next/:
 * - image-worker.mjs: the image worker thread (lib/server/image-work/image-worker.ts). Next
 *   bundles server code into chunks, so a worker thread needs a file of its own.
 * - queue-worker.mjs: `npm run worker`, the distributed mode's worker process
 *   (lib/server/distributed/worker-main.ts).
 * esbuild resolves the same `@/` paths and the `react-server` condition (server-only) that Next
 * does; packages stay in node_modules (the image worker bundles what it can). Run by
 * `npm run build` and `npm run dev`.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  conditions: ["react-server"],
  tsconfig: path.join(root, "tsconfig.json"),
  logLevel: "warning",
  // Bundled CommonJS helpers may call require(); give the ES module one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
};

/** `server-only` guards the server's modules against the browser bundle; in a Node program it is empty. */
const serverOnly = {
  name: "server-only",
  setup(builder) {
    builder.onResolve({ filter: /^server-only$/ }, () => ({ path: "server-only", namespace: "empty" }));
    builder.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "", loader: "js" }));
  },
};

const outputs = [
  { entry: "lib/server/image-work/image-worker.ts", out: "image-worker.mjs", options: { external: ["sharp", "@napi-rs/canvas"] } },
  { entry: "lib/server/distributed/worker-main.ts", out: "queue-worker.mjs", options: { packages: "external", plugins: [serverOnly] } },
];

for (const { entry, out, options } of outputs) {
  const outfile = path.join(root, ".next", out);
  await build({ ...common, ...options, entryPoints: [path.join(root, entry)], outfile });
  console.log(`bundled ${entry} → ${path.relative(root, outfile)}`);
}
