import "server-only";
import { existsSync } from "node:fs";
import path from "node:path";
import { MessageChannel, type MessagePort } from "node:worker_threads";
import { Piscina } from "piscina";
import type { LogoResult } from "../branding/logo-image";
import type { ProductResult } from "../branding/product-image";
import type { ComposeInput, Composite } from "../compositing/compositor";
import type { ImageWork } from "./image-work";
import { asBuffer, unwrap, type WorkerResult } from "./worker-messages";

const TASKS_PER_WORKER = 4;
const WORKER_NICENESS = 10;

/** Where `npm run build` puts the bundled worker (scripts/build-workers.mjs). */
export function imageWorkerFile(root = process.cwd()): string {
  return path.join(/*turbopackIgnore: true*/ root, ".next", "image-worker.mjs");
}

/** An upload's result with its PNG as a Buffer again. */
function revivePng<T extends { ok: boolean }>(result: T): T {
  return "png" in result && result.png instanceof Uint8Array ? { ...result, png: asBuffer(result.png) } : result;
}

function reviveComposite(composite: Composite): Composite {
  return {
    ...composite,
    bytes: asBuffer(composite.bytes),
    thumbnail: composite.thumbnail ? asBuffer(composite.thumbnail) : undefined,
    placeholder: composite.placeholder ? asBuffer(composite.placeholder) : undefined,
  };
}

/**
 * The image work on `threads` worker threads (piscina), one per core by default, so decoding,
 * compositing and encoding never hold the event loop. Tasks queue in the pool when every
 * thread is busy.
 */
export function workerPoolImageWork(threads: number, filename = imageWorkerFile()): ImageWork {
  if (!existsSync(filename)) {
    throw new Error(`The image worker ${filename} is missing: run npm run build (or set IMAGE_WORKERS=0 to work on the main thread).`);
  }
  const pool = new Piscina({
    filename,
    minThreads: threads,
    maxThreads: threads,
    // Threads stay up: a fresh one pays for Skia, fonts and sharp again.
    idleTimeout: Infinity,
    // Message-based hand-off: a worker's event loop keeps running between tasks.
    atomics: "disabled",
    // A worker takes several pictures at once, so it can make each one's preview as it arrives
    // and composite when none is waiting (finish-creative.ts); the work itself is still one at a time.
    concurrentTasksPerWorker: TASKS_PER_WORKER,
    // Below the main thread's priority (Linux nice is per thread): when the cores are busy, the
    // event loop that answers requests and sends events runs first, and the image work waits.
    niceIncrement: WORKER_NICENESS,
  });
  const run = async <T>(name: string, task: unknown, transferList?: MessagePort[]): Promise<T> =>
    unwrap((await pool.run(task, { name, transferList })) as WorkerResult<T>);

  return {
    preview: async (bytes) => asBuffer(await run<Uint8Array>("preview", bytes)),
    async finish(input: ComposeInput, onPreview) {
      if (!onPreview) return reviveComposite(await run<Composite>("finish", { input }));
      const { port1, port2 } = new MessageChannel();
      port1.on("message", (webp: Uint8Array) => onPreview(asBuffer(webp)));
      try {
        return reviveComposite(await run<Composite>("finish", { input, port: port2 }, [port2]));
      } finally {
        port1.close();
      }
    },
    compose: async (input, options) => reviveComposite(await run<Composite>("compose", { input, options })),
    render: async (options) => asBuffer(await run<Uint8Array>("render", options)),
    normaliseLogo: async (bytes) => revivePng(await run<LogoResult>("logo", bytes)),
    normaliseProduct: async (bytes) => revivePng(await run<ProductResult>("product", bytes)),
    close: () => pool.destroy(),
  };
}
