import "server-only";
import { existsSync } from "node:fs";
import { env } from "../env";
import type { ImageWork } from "./image-work";
import { inThreadImageWork } from "./in-thread-image-work";
import { imageWorkerFile, workerPoolImageWork } from "./worker-pool-image-work";

// Next may load route modules in separate chunks; a global keeps one pool per process.
const globalKey = Symbol.for("ad-creative-generator.image-work");
type GlobalWithImageWork = typeof globalThis & { [globalKey]?: ImageWork };

/** The process's image work: IMAGE_WORKERS threads (one per core by default), or the main thread. */
export function sharedImageWork(): ImageWork {
  const holder = globalThis as GlobalWithImageWork;
  if (!holder[globalKey]) {
    const threads = env().IMAGE_WORKERS;
    // `npm run build` and `npm run dev` bundle the worker; a test or script run straight from the
    // sources may not have it, and works on its own thread instead. In production it is an error.
    const missing = !existsSync(imageWorkerFile()) && process.env.NODE_ENV !== "production";
    if (threads > 0 && missing) console.warn(`[image-work] ${imageWorkerFile()} is not built; working on the main thread`);
    const pooled = threads > 0 && !missing;
    holder[globalKey] = pooled ? workerPoolImageWork(threads) : inThreadImageWork();
    console.log(pooled ? `[image-work] decoding and compositing on ${threads} worker thread(s)` : "[image-work] decoding and compositing on the main thread");
  }
  return holder[globalKey];
}
