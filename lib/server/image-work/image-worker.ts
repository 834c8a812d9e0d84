/**
 * The entry of each image worker thread (bundled to .next/image-worker.mjs by
 * scripts/build-workers.mjs, because Next bundles the server code and a worker needs a file
 * of its own). Each export is one kind of task; see ImageWork for what they do.
 */
import type { MessagePort } from "node:worker_threads";
import { normaliseLogo, type LogoResult } from "../branding/logo-image";
import { normaliseProduct, type ProductResult } from "../branding/product-image";
import type { ComposeInput, ComposeOptions, Composite } from "../compositing/compositor";
import { composeCreative } from "../compositing/compositor";
import { makePreview } from "../previews/preview-image";
import type { RenderOptions } from "../providers/builtin/options";
import { renderAdBackground } from "../providers/builtin/render";
import { finishCreative } from "./finish-creative";
import { asBuffer, fail, succeed, type WorkerResult } from "./worker-messages";

/** Inputs as they arrive: every Buffer became a Uint8Array on the way. */
function revive(input: ComposeInput): ComposeInput {
  return {
    ...input,
    background: asBuffer(input.background),
    logo: input.logo ? asBuffer(input.logo) : null,
    product: input.product ? asBuffer(input.product) : null,
  };
}

async function attempt<T>(work: () => Promise<T>): Promise<WorkerResult<T>> {
  try {
    return succeed(await work());
  } catch (error) {
    return fail(error);
  }
}

export function preview(bytes: Uint8Array): Promise<WorkerResult<Buffer>> {
  return attempt(() => makePreview(asBuffer(bytes)));
}

/** The raw preview goes back on `port` as soon as it is made, ahead of the composite. */
export function finish(task: { input: ComposeInput; port?: MessagePort }): Promise<WorkerResult<Composite>> {
  return attempt(async () => {
    try {
      return await finishCreative(revive(task.input), task.port ? (webp) => task.port!.postMessage(webp) : undefined);
    } finally {
      task.port?.close();
    }
  });
}

export function compose(task: { input: ComposeInput; options: ComposeOptions }): Promise<WorkerResult<Composite>> {
  return attempt(() => composeCreative(revive(task.input), task.options));
}

export function render(options: RenderOptions): Promise<WorkerResult<Buffer>> {
  return attempt(() => renderAdBackground(options));
}

export function logo(bytes: Uint8Array): Promise<WorkerResult<LogoResult>> {
  return attempt(() => normaliseLogo(asBuffer(bytes)));
}

export function product(bytes: Uint8Array): Promise<WorkerResult<ProductResult>> {
  return attempt(() => normaliseProduct(asBuffer(bytes)));
}
