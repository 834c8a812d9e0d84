import "server-only";
import { PROVIDER_NAMES } from "@/lib/providers-meta";
import { z } from "zod";
import { emptyAsUndefined, int, optionalString, originUrl } from "../../config-fields";
import { ApiError, createFalClient, type FalClient, type QueueStatus } from "@fal-ai/client";
import { SingleModelAccess, type GeneratedImage, type ImageProvider, type ImageRequest, type ProviderRoute, type ProviderStatus, type ProviderWarning, type RoutePlan } from "../provider";
import { errorFromHttpStatus, ProviderError } from "../provider-error";
import { fastApiDetail } from "../fastapi-detail";
import { classifyThrown, readBodyCapped } from "../network-error";
import { atReferenceSize, referenceOnBackdrop } from "../product-edit";

/** Its settings (validated with the rest in `env.ts`). */
export const falSettings = {
  FAL_KEY: optionalString,
  FAL_MODEL: z.preprocess(emptyAsUndefined, z.string().trim().regex(/^[\w.-]+\/[\w.-]+(\/[\w.-]+)*$/, "must be a fal endpoint id such as fal-ai/flux/schnell").default("fal-ai/flux/schnell")),
  /** The edit endpoint that builds the scene around a packshot; "none" pastes the packshot over a text-to-image scene instead. */
  FAL_EDIT_MODEL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .trim()
      .regex(/^([\w.-]+\/[\w.-]+(\/[\w.-]+)*|none)$/, "must be a fal endpoint id such as fal-ai/flux-kontext/dev, or none")
      .default("fal-ai/flux-kontext/dev")
      .transform((value) => (value === "none" ? undefined : value)),
  ),
  /** Where fal's queue API is (https://queue.fal.run); for gateways and the tests' stand-in. */
  FAL_QUEUE_URL: originUrl("https://queue.fal.run"),
  /** Seconds a fal request may wait in the queue for a machine; fal then drops it unbilled and the image fails with that reason. */
  // The client refuses 1 s or less.
  FAL_START_TIMEOUT_S: int(60, 2, 3_600),
};

export interface FalConfig {
  key?: string;
  /** An endpoint id such as fal-ai/flux/schnell. */
  model: string;
  /** https://queue.fal.run, or a gateway (the tests' stand-in). */
  queueUrl: string;
  /** The image-edit endpoint that builds a scene around a packshot (fal-ai/flux-kontext/dev); none turns that off. */
  editModel?: string;
  /** How long a request may wait for a machine before fal drops it unbilled (its `startTimeout`), in seconds. */
  startTimeoutS?: number;
}

const LABEL = PROVIDER_NAMES.fal;
const ROUTE: ProviderRoute = { id: "fal-queue", label: "queue API" };
const DEFAULT_QUEUE_URL = "https://queue.fal.run";
const DEFAULT_START_TIMEOUT_S = 60;
const POLL_INTERVAL_MS = 500;
/** Log lines become progress messages, which are kept in the job's log: at most one a second. */
const LOG_MESSAGE_INTERVAL_MS = 1_000;

/** The output of fal's text-to-image endpoints (flux/schnell, flux/dev, …). */
interface FalImageOutput {
  images?: { url?: string; content_type?: string; width?: number; height?: number }[];
  has_nsfw_concepts?: boolean[];
}

/**
 * fal through its official client (`@fal-ai/client`) and queue API: submit, poll the status with
 * logs (queue position and log lines become progress messages), fetch the result, download the
 * picture with a size cap. Stop and disconnect cancel the request on fal's side, so nothing keeps
 * running (or billing) after the marketer has gone.
 */
export class FalProvider implements ImageProvider {
  readonly id = "fal" as const;
  readonly label = LABEL;
  private readonly client?: FalClient;
  private readonly access: SingleModelAccess;

  constructor(
    private readonly config: FalConfig,
    private readonly now: () => number = Date.now,
  ) {
    this.access = new SingleModelAccess({ id: this.id, label: this.label }, config.model, ROUTE, Boolean(config.key), "Set FAL_KEY in .env.local (fal.ai/dashboard/keys)", "FAL_MODEL");
    if (!config.key) return;
    const queueUrl = config.queueUrl.replace(/\/+$/, "");
    this.client = createFalClient({
      credentials: config.key,
      suppressLocalCredentialsWarning: true,
      // The client builds https://queue.fal.run/… itself; a gateway only changes where that goes.
      requestMiddleware: async (request) =>
        queueUrl === DEFAULT_QUEUE_URL || !request.url.startsWith(`${DEFAULT_QUEUE_URL}/`) ? request : { ...request, url: `${queueUrl}${request.url.slice(DEFAULT_QUEUE_URL.length)}` },
    });
  }

  status(): ProviderStatus {
    return this.access.status();
  }

  async refresh(): Promise<ProviderStatus> {
    return this.status();
  }

  async planRoutes(model: string): Promise<RoutePlan> {
    return this.access.plan(model);
  }

  /** With a packshot, every model's scene is built by the edit endpoint (FAL_EDIT_MODEL). */
  buildsAroundProduct(): boolean {
    return Boolean(this.client && this.config.editModel);
  }

  async generate(request: ImageRequest): Promise<GeneratedImage> {
    const fal = this.client;
    if (!fal) throw new ProviderError("auth", "Set FAL_KEY in .env.local.");
    const editing = request.reference && this.config.editModel ? { endpoint: this.config.editModel, reference: request.reference } : undefined;
    const endpoint = editing?.endpoint ?? request.model;
    const size = { width: request.width, height: request.height };
    const common = { prompt: request.prompt, seed: request.seed, num_images: 1, enable_safety_checker: true, output_format: "png" };
    // The edit endpoint is shown the packshot on a plain backdrop where this ad will have it, as a
    // data URI (fal takes those for any file input; nothing is left in fal's storage), and asked
    // to answer in that frame.
    const input = editing
      ? { ...common, image_url: `data:image/png;base64,${(await referenceOnBackdrop((await editing.reference(size)).image)).toString("base64")}`, resolution_mode: "match_input" }
      : { ...common, image_size: size };
    let requestId: string | undefined;
    const cancel = () => {
      // Fire and forget, with its own deadline: the run is already over for us, not yet for fal.
      if (requestId) fal.queue.cancel(endpoint, { requestId, abortSignal: AbortSignal.timeout(5_000) }).catch(() => undefined);
    };
    request.signal.addEventListener("abort", cancel, { once: true });
    try {
      // fal drops (and does not bill) a request no machine picked up in time: a run never waits forever.
      const startTimeout = this.config.startTimeoutS ?? DEFAULT_START_TIMEOUT_S;
      const submitted = await fal.queue.submit(endpoint, { input, abortSignal: request.signal, startTimeout });
      requestId = submitted.request_id;
      if (request.signal.aborted) cancel();
      request.signal.throwIfAborted();
      const reporter = this.queueReporter(request);
      reporter(submitted);
      await fal.queue.subscribeToStatus(endpoint, { requestId, logs: true, pollInterval: POLL_INTERVAL_MS, abortSignal: request.signal, onQueueUpdate: reporter });
      const result = await fal.queue.result(endpoint, { requestId, abortSignal: request.signal });
      const output = result.data as FalImageOutput;
      if (output.has_nsfw_concepts?.[0]) {
        throw new ProviderError("bad_request", "fal's safety checker blocked this image. Change the brief's wording and try again.");
      }
      const url = output.images?.[0]?.url;
      if (!url) throw new ProviderError("bad_image", "fal answered without an image.");
      const response = await fetch(url, { signal: request.signal });
      if (!response.ok) throw errorFromHttpStatus("fal's file storage", response.status, undefined);
      const bytes = await readBodyCapped(response, LABEL);
      // fal's FLUX endpoints (the default and the edit one) take no negative prompt, so none is sent.
      const warnings: ProviderWarning[] = request.negativePrompt.trim() ? [{ setting: "negativePrompt", message: "fal is not sent the negative prompt (its FLUX endpoints take none): what to avoid was left out." }] : [];
      if (editing) return { bytes: await atReferenceSize(bytes, size), mimeType: "image/png", model: editing.endpoint, warnings };
      return { bytes, mimeType: response.headers.get("content-type") ?? output.images?.[0]?.content_type, warnings };
    } catch (error) {
      throw toProviderError(error, request.signal, this.config.startTimeoutS ?? DEFAULT_START_TIMEOUT_S);
    } finally {
      request.signal.removeEventListener("abort", cancel);
    }
  }

  /** "In queue, 3 ahead", then fal's own log lines while it works (new ones only, at most one a second). */
  private queueReporter(request: ImageRequest): (status: QueueStatus) => void {
    let lastPosition: number | undefined;
    let logsSeen = 0;
    let lastLogAt = -Infinity;
    let working = false;
    return (status) => {
      if (request.signal.aborted) return;
      if (status.status === "IN_QUEUE") {
        if (status.queue_position === lastPosition) return;
        lastPosition = status.queue_position;
        request.report?.(status.queue_position > 0 ? `In queue, ${status.queue_position} ahead` : "In queue, next");
        return;
      }
      const logs = "logs" in status && Array.isArray(status.logs) ? status.logs : [];
      if (!working && status.status === "IN_PROGRESS") {
        working = true;
        request.report?.("Generating on fal");
      }
      // The client hands over the logs accumulated so far on every poll.
      const fresh = logs.slice(logsSeen).filter((log) => typeof log?.message === "string" && log.message.trim());
      logsSeen = logs.length;
      if (fresh.length > 0 && this.now() - lastLogAt >= LOG_MESSAGE_INTERVAL_MS) {
        lastLogAt = this.now();
        request.report?.(`fal: ${fresh.at(-1)!.message.trim().slice(0, 120)}`);
      }
    };
  }
}

function toProviderError(error: unknown, signal: AbortSignal, startTimeoutS: number): unknown {
  if (ProviderError.is(error)) return error;
  if (signal.aborted) return signal.reason ?? error;
  // The start deadline passed with the request still queued: fal's 504 with timeout type "user".
  if (error instanceof ApiError && error.status === 504 && error.timeoutType === "user") {
    return new ProviderError("timeout", `fal found no free machine for this model within ${startTimeoutS} s (FAL_START_TIMEOUT_S), so it dropped the request unbilled. Retry, or choose a model fal keeps warm (fal-ai/flux/schnell is).`, { status: 504 });
  }
  if (error instanceof ApiError) {
    const detail = fastApiDetail((error.body as { detail?: unknown } | undefined)?.detail) ?? error.message;
    return errorFromHttpStatus(LABEL, error.status, detail, { tokenVariable: "FAL_KEY", paymentFix: "Add credit at fal.ai/dashboard/billing." });
  }
  // Throws the classified error (or the abort) itself.
  return classifyThrown(error, LABEL, signal);
}
