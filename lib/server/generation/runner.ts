import "server-only";
import pLimit from "p-limit";
import type { AdFormatId } from "@/lib/ad-formats";
import type { CampaignBrief } from "@/lib/campaign";
import type { BuiltinPresetId, Design, LayoutId } from "@/lib/design";
import type { CreativeVariant } from "@/lib/variants";
import type { DoneEvent } from "@/lib/events";
import type { JobEvent } from "../storage/logged-events";
import type { GeneratedImage, ImageGenerator, ProviderRoute, ProviderWarning } from "../providers/provider";
import { artDirection } from "../compositing/art-direction";
import { cropShareOf } from "../compositing/crop-share";
import { productReference } from "../compositing/product-reference";
import { sceneAroundProductPrompt } from "./prompts";
import { slotFormat } from "./slot-design";
import { makePreview } from "../previews/preview-image";
import { ProviderError } from "../providers/provider-error";
import { decideRetry, isRetryable, nextRouteMessage, shouldTryNextRoute } from "./retry-policy";
import { SlotPreviews, type PreviewSink } from "./slot-previews";
import { verifyImage, type VerifiedImage } from "./verify-image";

/** Everything decided before the first provider call; the runner only executes it. */
export interface GenerationPlan {
  jobId: string;
  brief: CampaignBrief;
  design: Design;
  preset: BuiltinPresetId;
  format: AdFormatId;
  provider: ImageGenerator;
  model: string;
  /** Where each image is asked for, in order: the next one is tried when one fails (provider fallback). */
  routes: ProviderRoute[];
  /** Caps the run's concurrency below the configured one (an endpoint that takes one request at a time). */
  concurrency?: number;
  width: number;
  height: number;
  seed: number;
  /** Prompt of every slot of the job, by index. */
  prompts: string[];
  negativePrompt: string;
  /** Slots to make in this run (all, or the ones being resumed, retried or added). */
  indices: number[];
  /** Seed of every slot of the job, by index. */
  seeds: number[];
  /** What every slot of the job tests, by index (null or absent for slots made before variant sets). */
  variants?: (CreativeVariant | null)[];
  /** The layout every new slot starts with, by index (a layout variant's); the design's when absent. */
  layouts?: (LayoutId | null)[];
}

export interface StoredImage {
  /** A tiny blurred WebP data URL the slot paints before the preview loads. */
  placeholder: string;
  /** The stored files: the finished ad, its preview, and the provider's untouched picture. */
  compositeId: string;
  thumbId: string;
  rawId: string;
  width: number;
  height: number;
  bytes: number;
  mimeType: string;
  layout: LayoutId;
}

export interface RunnerOptions {
  concurrency: number;
  attemptTimeoutMs: number;
  /** Stop, client disconnect: aborts in-flight provider calls, and queued work never starts. */
  signal: AbortSignal;
  /**
   * Shutdown: images not started yet never start (they stay pending, to be resumed), while the
   * ones in flight finish. No event is sent for the images it holds back.
   */
  drain?: AbortSignal;
  /**
   * Sends an event on its way; the runner awaits the ones that settle an image or the run, so a
   * caller that must know them durable (a queue worker acknowledging its task) can make it so.
   */
  emit: (event: JobEvent) => void | Promise<void>;
  /** Where transient previews go (the raw picture before its ad, steps as they form); none when absent. */
  previews?: PreviewSink;
  /** Makes a step preview's small WebP (the job manager passes its image workers). */
  makePreview?: (bytes: Buffer) => Promise<Buffer>;
  /**
   * Persists verified bytes and makes the finished ad; the image event is only sent after this
   * resolves. `onPreview`, when given, receives the raw picture's preview before compositing.
   */
  store: (bytes: Buffer, image: VerifiedImage, index: number, onPreview?: (webp: Buffer) => void) => Promise<StoredImage>;
  /** Removes what `store` wrote for an image that will never be announced (the run was stopped meanwhile). */
  discard?: (stored: StoredImage) => Promise<void>;
  /**
   * Runs the heavy part of each image (composite and store). The job manager passes one limiter
   * shared by every job, so a burst of runs queues fairly instead of filling memory.
   */
  exclusive?: <T>(work: () => Promise<T>) => Promise<T>;
  /** Wraps each provider call; the job manager passes one limiter shared by every job. */
  providerSlot?: <T>(work: () => Promise<T>) => Promise<T>;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
  now?: () => number;
  /**
   * Slots of one run that ask for the same picture (a copy or layout test: one scene, several ads)
   * share one provider call; `runGeneration` keeps this per run. A queue worker's single task has
   * none, so there each slot asks for its own (the same prompt and seed).
   */
  sharedPictures?: Map<string, Promise<GeneratedImage>>;
  /**
   * The failure that ended the run for every image (an account out of credit): images that have
   * not called the provider yet fail with it at once. `runGeneration` keeps one per run.
   */
  runEnded?: { error?: ProviderError };
  /**
   * The design's packshot (a transparent PNG) and each slot's layout: the built-in renderer sets
   * its stage right under the product, and a provider that builds around a product is shown it
   * where that slot's ad will have it.
   */
  product?: { png: Buffer; width: number; height: number; layoutOf: (index: number) => LayoutId | null };
}

const STORAGE_REASONS: Record<string, string> = {
  ENOSPC: "the disk is full",
  EDQUOT: "the disk quota is used up",
  EACCES: "no permission to write there",
  EPERM: "no permission to write there",
  EROFS: "the disk is read-only",
};

/** The outcome of one image: it was announced, or it failed for good (its error announced). Throws `RunCancelled` when stopped. */
export type ImageOutcome = "succeeded" | "failed";

/** How far the run is, for the `completed` of progress events. */
export interface RunTally {
  completed: () => number;
  total: number;
}

/** Thrown by `runImage` for an image the run's stop (or drain) kept from finishing: nothing was announced for it. */
export class RunCancelled extends Error {}

/** The run's first events: what it makes, then each of its slots queued. */
export function announceRun(plan: GenerationPlan, emit: RunnerOptions["emit"]): void {
  const total = plan.indices.length;
  void emit({
    event: "start",
    data: {
      jobId: plan.jobId,
      total,
      indices: plan.indices,
      batchSize: plan.prompts.length,
      brief: plan.brief,
      design: plan.design,
      format: plan.format,
      provider: plan.provider.id,
      model: plan.model,
      width: plan.width,
      height: plan.height,
      seed: plan.seed,
      prompts: plan.prompts,
      negativePrompt: plan.negativePrompt,
      ...(plan.variants ? { variants: plan.variants } : {}),
    },
  });
  // Said in the slot until it starts: a one-at-a-time provider is a reason to wait, not a fault.
  const waiting = plan.concurrency === 1 && plan.indices.length > 1 ? `Waiting: ${plan.provider.label} makes one image at a time` : "Waiting for a free slot";
  for (const index of plan.indices) {
    void emit({ event: "progress", data: { index, status: "queued", attempt: 0, message: waiting, completed: 0, total } });
  }
}

/**
 * One image of a run, from the provider call to its announced ad, with the retry policy and the
 * fallback to the next route. The whole run (`runGeneration`) and a queue worker's single task
 * both come here, so an image is made the same way in either mode.
 */
export async function runImage(plan: GenerationPlan, index: number, options: RunnerOptions, tally: RunTally): Promise<ImageOutcome> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const { signal, emit, drain } = options;
  const { completed, total } = tally;
  const held = () => signal.aborted || drain?.aborted === true;
  const providerSlot = options.providerSlot ?? ((work) => work());
  if (held()) throw new RunCancelled();
  const prompt = plan.prompts[index] ?? "";
  const seed = plan.seeds[index] ?? plan.seed;
  const variant = plan.variants?.[index] ?? null;
  // The scene's number, not the slot's: slots that test copy or layout share one picture.
  const picture = variant ? variant.picture - 1 : index;
  const { format, width, height } = slotFormat(plan, index);
  const imageStartedAt = now();
  let routeIndex = 0;
  let retriesByCode = new Map<string, number>();

  for (let attempt = 1; ; attempt++) {
    // A retry is a new start: not during shutdown.
    if (attempt > 1 && drain?.aborted) throw new RunCancelled();
    const route = plan.routes[routeIndex]!;
    const label = plan.routes.length > 1 ? `${plan.provider.label} (${route.label})` : plan.provider.label;
    const generating = (message: string) =>
      emit({ event: "progress", data: { index, status: "generating", attempt, message, completed: completed(), total } });
    let timedOut = false;
    const previews = options.previews
      ? new SlotPreviews(index, options.previews, { make: options.makePreview ?? makePreview, now })
      : undefined;
    try {
      // A process-wide slot, held from the provider call until the picture is processed, bounds
      // provider calls and the pictures waiting in memory across all jobs.
      const { stored, checked, providerDoneAt, madeBy, warnings } = await providerSlot(async () => {
        if (held()) throw new RunCancelled();
        if (options.runEnded?.error) throw options.runEnded.error;
        const product = options.product;
        const layout = (product?.layoutOf(index) ?? null) || plan.design.layout;
        const aroundProduct = product && (await plan.provider.buildsAroundProduct?.(plan.model)) ? product : undefined;
        const doing = aroundProduct ? "Building the scene around the product" : "Generating";
        generating(attempt === 1 ? doing : `${doing} (attempt ${attempt}${plan.routes.length > 1 ? `, ${route.label}` : ""})`);
        const timeout = AbortSignal.timeout(options.attemptTimeoutMs);
        let result: GeneratedImage;
        const call = () =>
          plan.provider.generate({
            prompt: aroundProduct ? sceneAroundProductPrompt(prompt) : prompt,
            ...(aroundProduct ? { reference: (picture: { width: number; height: number }) => productReference(aroundProduct.png, layout, format, picture) } : {}),
            negativePrompt: plan.negativePrompt,
            width,
            height,
            seed,
            model: plan.model,
            route,
            signal: AbortSignal.any([signal, timeout]),
            providerOptions: { builtin: { productName: plan.brief.productName, style: plan.brief.style, tone: plan.brief.tone, variant: picture, preset: plan.preset, ...artDirection({ ...plan.design, layout }, format, product) } },
            report: (message) => {
              if (!signal.aborted) generating(message);
            },
            ...(previews ? { partial: (partial) => previews.partial(partial) } : {}),
          });
        try {
          // With a product, the scene is built for the place the product has in this slot's layout.
          result = await sharedCall(options.sharedPictures, `${route.id}\n${format}\n${picture}\n${seed}\n${prompt}${product ? `\n${layout}` : ""}`, call);
        } catch (error) {
          timedOut = timeout.aborted && !signal.aborted;
          throw error;
        }
        if (signal.aborted) throw new RunCancelled();
        const providerDoneAt = now();
        // The header check is cheap; it keeps a picture that will be refused from flashing up.
        const checked = await verifyImage(result.bytes, label);
        // The picture before the ad: its preview is made from the composite's own decode, first.
        const onPreview = previews?.raw(providerDoneAt);
        const exclusive = options.exclusive ?? ((work) => work());
        return exclusive(async () => {
          if (signal.aborted) throw new RunCancelled();
          try {
            return { stored: await options.store(result.bytes, checked, index, onPreview), checked, providerDoneAt, madeBy: result.model ?? plan.model, warnings: result.warnings };
          } catch (error) {
            if (ProviderError.is(error)) throw error;
            const code = (error as NodeJS.ErrnoException).code;
            if (!code) console.error(`[runner] could not finish image ${index} of job ${plan.jobId}:`, error instanceof Error ? error.message : error);
            throw new ProviderError("storage", code ? `Could not save the image: ${STORAGE_REASONS[code] ?? "the disk refused it"}. Check that DATA_DIR is writable and has free space, then Retry.` : "Could not lay out this creative. Try another layout or shorter copy.");
          }
        });
      });
      previews?.close();
      if (signal.aborted) {
        // Stopped or deleted while the ad was being stored: nobody will own these files.
        await options.discard?.(stored);
        throw new RunCancelled();
      }
      const readyAt = now();
      await emit({
        event: "image",
        data: {
          index,
          compositeId: stored.compositeId,
          thumbId: stored.thumbId,
          rawId: stored.rawId,
          format,
          layout: stored.layout,
          width: stored.width,
          height: stored.height,
          seed,
          prompt,
          provider: plan.provider.id,
          model: madeBy,
          route: route.id,
          sourceWidth: checked.width,
          sourceHeight: checked.height,
          elapsedMs: readyAt - imageStartedAt,
          mimeType: stored.mimeType,
          bytes: stored.bytes,
          placeholder: stored.placeholder,
          readyAt,
          providerDoneAt,
          ...(variant ? { variant } : {}),
          ...withWarnings([...(warnings ?? []), ...sizeWarning(label, checked, { width, height })]),
        },
      });
      return "succeeded";
    } catch (thrown) {
      previews?.close();
      if (signal.aborted || thrown instanceof RunCancelled) throw new RunCancelled();
      const error = toProviderError(thrown, timedOut, options.attemptTimeoutMs, label);
      if (error.endsRun && options.runEnded) options.runEnded.error ??= error;
      const used = retriesByCode.get(error.code) ?? 0;
      // Payment and support are the provider's answer, not a passing fault: move on at once.
      const decision = error.code === "payment_required" || error.code === "unsupported" ? ({ retry: false } as const) : decideRetry(error, used, options.random);
      if (!decision.retry) {
        const next = plan.routes[routeIndex + 1];
        if (next && shouldTryNextRoute(error.code) && !error.endsRun) {
          emit({ event: "progress", data: { index, status: "retrying", attempt, message: nextRouteMessage(route.label, error.code, next.label), completed: completed(), total } });
          routeIndex++;
          retriesByCode = new Map();
          continue;
        }
        await emit({ event: "error", data: { index, code: error.code, message: error.message, retryable: isRetryable(error.code) } });
        return "failed";
      }
      retriesByCode.set(error.code, used + 1);
      emit({
        event: "progress",
        data: { index, status: "retrying", attempt, message: decision.message, completed: completed(), total, retryAt: now() + decision.delayMs },
      });
      try {
        await sleep(decision.delayMs, signal);
      } catch {
        throw new RunCancelled();
      }
    }
  }
}

export async function runGeneration(plan: GenerationPlan, options: RunnerOptions): Promise<DoneEvent> {
  const now = options.now ?? Date.now;
  const { signal, emit } = options;
  const startedAt = now();
  const total = plan.indices.length;
  let succeeded = 0;
  let failed = 0;
  let cancelled = 0;
  const tally: RunTally = { completed: () => succeeded + failed, total };
  const runOptions: RunnerOptions = { ...options, sharedPictures: options.sharedPictures ?? new Map(), runEnded: options.runEnded ?? {} };

  announceRun(plan, emit);

  // rejectOnClear: queued images settle (as cancelled) instead of hanging when the run is aborted.
  const limit = pLimit({ concurrency: Math.min(options.concurrency, plan.concurrency ?? Infinity), rejectOnClear: true });
  const onAbort = () => limit.clearQueue();
  signal.addEventListener("abort", onAbort, { once: true });
  const drain = options.drain;
  drain?.addEventListener("abort", onAbort, { once: true });
  const held = () => signal.aborted || drain?.aborted === true;

  await Promise.all(
    plan.indices.map((index) =>
      limit(() => runImage(plan, index, runOptions, tally))
        .then((outcome) => {
          if (outcome === "succeeded") succeeded++;
          else failed++;
        })
        .catch((error: unknown) => {
          if (error instanceof RunCancelled || held()) {
            cancelled++;
            return;
          }
          // A bug in our own code must not take the other images down with it.
          failed++;
          console.error(`[runner] image ${index} of job ${plan.jobId} failed unexpectedly:`, error instanceof Error ? error.message : error);
          return emit({ event: "error", data: { index, code: "provider_error", message: "Unexpected server error while generating this image.", retryable: true } });
        }),
    ),
  );
  signal.removeEventListener("abort", onAbort);
  drain?.removeEventListener("abort", onAbort);

  // Held back by a shutdown: the images left are pending, for the next start to resume.
  const status = drain?.aborted && cancelled > 0 ? "interrupted" : signal.aborted || cancelled > 0 ? "cancelled" : "completed";
  const done: DoneEvent = { jobId: plan.jobId, status, succeeded, failed, cancelled, elapsedMs: now() - startedAt };
  await emit({ event: "done", data: done });
  return done;
}

/**
 * One provider call for every slot asking for the same picture in this run. A failed call is
 * forgotten, so each slot's retry asks again (and the retries share the new call).
 */
function sharedCall(shared: Map<string, Promise<GeneratedImage>> | undefined, key: string, call: () => Promise<GeneratedImage>): Promise<GeneratedImage> {
  if (!shared) return call();
  const existing = shared.get(key);
  if (existing) return existing;
  const made = call();
  shared.set(key, made);
  made.catch(() => {
    if (shared.get(key) === made) shared.delete(key);
  });
  return made;
}

function toProviderError(thrown: unknown, timedOut: boolean, timeoutMs: number, label: string): ProviderError {
  if (timedOut) {
    return new ProviderError("timeout", `${label} did not answer within ${Math.round(timeoutMs / 1000)} s.`);
  }
  if (ProviderError.is(thrown)) return thrown;
  return new ProviderError("provider_error", `${label} failed: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** The warnings an image event carries: each message once, none when there are none. */
function withWarnings(warnings: ProviderWarning[]): { warnings?: string[] } {
  return warnings.length > 0 ? { warnings: [...new Set(warnings.map((warning) => warning.message))] } : {};
}

/**
 * A picture of another shape than asked is cropped to the ad (`fittedBackground`): past the 5 %
 * that goes unnoticed, the marketer is told how much of the picture was left out.
 */
export function sizeWarning(label: string, sent: { width: number; height: number }, asked: { width: number; height: number }): ProviderWarning[] {
  const leftOut = cropShareOf(sent, asked);
  if (leftOut <= 0.05) return [];
  return [{ setting: "size", message: `${label} sent a ${sent.width}×${sent.height} picture for a ${asked.width}×${asked.height} request: the ad is cropped from it, leaving out ${Math.round(leftOut * 100)}% of the picture.` }];
}
