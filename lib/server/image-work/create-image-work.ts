import "server-only";
import { existsSync } from "node:fs";
import type { ImageWork } from "./image-work";
import { inThreadImageWork } from "./in-thread-image-work";
import { imageWorkerFile, workerPoolImageWork } from "./worker-pool-image-work";

/** A process's image work: `threads` worker threads (IMAGE_WORKERS), or the main thread with 0. Made once, by the composition root. */
export function createImageWork(threads: number): ImageWork {
  // `npm run build` and `npm run dev` bundle the worker; a test or script run straight from the
  // sources may not have it, and works on its own thread instead. In production it is an error.
  const missing = !existsSync(imageWorkerFile()) && process.env.NODE_ENV !== "production";
  if (threads > 0 && missing) console.warn(`[image-work] ${imageWorkerFile()} is not built; working on the main thread`);
  const pooled = threads > 0 && !missing;
  console.log(pooled ? `[image-work] decoding and compositing on ${threads} worker thread(s)` : "[image-work] decoding and compositing on the main thread");
  return pooled ? workerPoolImageWork(threads) : inThreadImageWork();
}
