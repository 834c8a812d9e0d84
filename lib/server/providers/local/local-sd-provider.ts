import "server-only";
import { PROVIDER_NAMES } from "@/lib/providers-meta";
import { z } from "zod";
import { emptyAsUndefined, int, optionalUrl } from "../../config-fields";
import { setTimeout as wait } from "node:timers/promises";
import pLimit from "p-limit";
import type { ModelOption } from "@/lib/campaign";
import type { GeneratedImage, ImageProvider, ImageRequest, ProviderRoute, ProviderStatus, RoutePlan } from "../provider";
import { errorFromHttpStatus, ProviderError } from "../provider-error";
import { classifyThrown, MAX_IMAGE_BYTES, networkReason } from "../network-error";
import { fastApiDetail } from "../fastapi-detail";

/** Its settings (validated with the rest in `env.ts`). */
export const localSdSettings = {
  LOCAL_SD_URL: optionalUrl,
  /** `user:password` when the server was started with --api-auth. */
  LOCAL_SD_AUTH: z.preprocess(emptyAsUndefined, z.string().regex(/^[^:]+:.+$/, "must be user:password (as given to --api-auth)").optional()),
  LOCAL_SD_STEPS: int(25, 1, 150),
  LOCAL_SD_SAMPLER: z.preprocess(emptyAsUndefined, z.string().trim().default("Euler a")),
};

export interface LocalSdConfig {
  /** An AUTOMATIC1111-compatible server started with --api (AUTOMATIC1111, Forge, SD.Next). */
  url?: string;
  /** `user:password` for --api-auth. */
  auth?: string;
  steps: number;
  sampler: string;
}

const LABEL = PROVIDER_NAMES.local;
const ROUTE: ProviderRoute = { id: "a1111", label: "AUTOMATIC1111 API" };
/** The server's current checkpoint, when its model list is not known. */
const CURRENT_MODEL = "current-checkpoint";
const PROGRESS_INTERVAL_MS = 500;
const PROBE_TTL_MS = 30_000;
const PROBE_FAILED_TTL_MS = 10_000;

interface Checkpoint {
  id: string;
  /** What `override_settings.sd_model_checkpoint` takes. */
  title: string;
}

/** `GET /sdapi/v1/progress` as the server answers it (modules/api/models.py, ProgressResponse). */
interface ProgressResponse {
  progress?: number;
  eta_relative?: number;
  state?: { sampling_step?: number; sampling_steps?: number; interrupted?: boolean; job_count?: number };
  current_image?: string | null;
}

/**
 * A team's own GPU through the AUTOMATIC1111 API: `POST /sdapi/v1/txt2img` while
 * `GET /sdapi/v1/progress` is polled for the step, the time left and the forming picture
 * (`current_image`, when the server's live previews are on). Stop sends `POST /sdapi/v1/interrupt`.
 * Progress is server-wide, so this process sends one image at a time.
 */
export class LocalSdProvider implements ImageProvider {
  readonly id = "local" as const;
  readonly label = LABEL;
  private readonly slot = pLimit(1);
  private probe?: { checkpoints?: Checkpoint[]; problem?: string; expiresAt: number };

  constructor(
    private readonly config: LocalSdConfig,
    private readonly now: () => number = Date.now,
  ) {}

  private get headers(): Record<string, string> {
    return this.config.auth ? { Authorization: `Basic ${Buffer.from(this.config.auth).toString("base64")}` } : {};
  }

  status(): ProviderStatus {
    const base = { id: this.id, label: this.label };
    if (!this.config.url) {
      return { ...base, model: CURRENT_MODEL, models: [currentModelOption()], available: false, reason: "Set LOCAL_SD_URL to your AUTOMATIC1111, Forge or SD.Next server (started with --api)" };
    }
    const fresh = this.probe && this.probe.expiresAt > this.now() ? this.probe : undefined;
    const models = fresh?.checkpoints?.length ? fresh.checkpoints.map((checkpoint): ModelOption => ({ id: checkpoint.id, label: checkpoint.id, available: true, routes: [ROUTE.id] })) : [currentModelOption()];
    return { ...base, model: models[0]!.id, models, available: !fresh?.problem, ...(fresh?.problem ? { reason: fresh.problem } : {}) };
  }

  async refresh(options: { fresh?: boolean } = {}): Promise<ProviderStatus> {
    if (this.config.url && (options.fresh || !this.probe || this.probe.expiresAt <= this.now())) {
      this.probe = await this.fetchCheckpoints(this.config.url);
    }
    return this.status();
  }

  /** `GET /sdapi/v1/sd-models` doubles as the reachability probe. */
  private async fetchCheckpoints(url: string): Promise<NonNullable<LocalSdProvider["probe"]>> {
    try {
      const response = await fetch(`${url}/sdapi/v1/sd-models`, { headers: { Accept: "application/json", ...this.headers }, signal: AbortSignal.timeout(5_000) });
      if (response.status === 401 || response.status === 403) {
        return { problem: "Your GPU server refused the credentials: check LOCAL_SD_AUTH (user:password, as given to --api-auth).", expiresAt: this.now() + PROBE_FAILED_TTL_MS };
      }
      if (response.status === 404) {
        return { problem: "Your GPU server has no API at LOCAL_SD_URL: start it with --api (AUTOMATIC1111, Forge) or check the address.", expiresAt: this.now() + PROBE_FAILED_TTL_MS };
      }
      const list = response.ok ? ((await response.json()) as unknown) : [];
      const checkpoints: Checkpoint[] = [];
      if (Array.isArray(list)) {
        for (const item of list as { title?: unknown; model_name?: unknown }[]) {
          if (typeof item?.title !== "string" || typeof item.model_name !== "string") continue;
          // Ids travel in requests and URLs; a checkpoint named with spaces stays usable as the server's current one.
          if (/^[A-Za-z0-9][A-Za-z0-9._\-/:]*$/.test(item.model_name)) checkpoints.push({ id: item.model_name, title: item.title });
        }
      }
      return { checkpoints, expiresAt: this.now() + PROBE_TTL_MS };
    } catch (error) {
      return { problem: `Could not reach your GPU server at LOCAL_SD_URL: ${networkReason(error)}.`, expiresAt: this.now() + PROBE_FAILED_TTL_MS };
    }
  }

  async planRoutes(model: string): Promise<RoutePlan> {
    const status = await this.refresh();
    if (!status.available) return { ok: false, code: this.config.url ? "upstream" : "invalid", message: status.reason! };
    // The current checkpoint is what the page offers before the server's list is known.
    if (model !== CURRENT_MODEL && !status.models.some((option) => option.id === model)) {
      return { ok: false, code: "invalid", message: `Your GPU server has no checkpoint called ${model}: choose one of ${status.models.map((option) => option.id).join(", ")}.` };
    }
    return { ok: true, routes: [ROUTE], concurrency: 1 };
  }

  async generate(request: ImageRequest): Promise<GeneratedImage> {
    if (this.slot.activeCount + this.slot.pendingCount > 0) request.report?.("Waiting for your GPU server (one image at a time)");
    return this.slot(() => {
      request.signal.throwIfAborted();
      return this.txt2img(request);
    });
  }

  private async txt2img(request: ImageRequest): Promise<GeneratedImage> {
    const url = this.config.url!;
    const checkpoint = this.probe?.checkpoints?.find((item) => item.id === request.model);
    const body = {
      prompt: request.prompt,
      negative_prompt: request.negativePrompt,
      seed: request.seed,
      width: request.width,
      height: request.height,
      steps: this.config.steps,
      sampler_name: this.config.sampler,
      cfg_scale: 6,
      batch_size: 1,
      n_iter: 1,
      send_images: true,
      save_images: false,
      ...(checkpoint ? { override_settings: { sd_model_checkpoint: checkpoint.title }, override_settings_restore_afterwards: false } : {}),
    };
    const onAbort = () => void this.interrupt(url);
    request.signal.addEventListener("abort", onAbort, { once: true });
    const polling = new AbortController();
    const watcher = this.watchProgress(url, request, polling.signal);
    try {
      const response = await fetch(`${url}/sdapi/v1/txt2img`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", ...this.headers },
        body: JSON.stringify(body),
        signal: request.signal,
      });
      if (!response.ok) throw errorFromHttpStatus(LABEL, response.status, await errorDetail(response), { tokenVariable: "LOCAL_SD_AUTH" });
      const text = await response.text();
      if (text.length > (MAX_IMAGE_BYTES * 4) / 3 + 1_000_000) throw new ProviderError("bad_image", `${LABEL} sent more than an image should be.`);
      const json = JSON.parse(text) as { images?: unknown };
      const first = Array.isArray(json.images) ? json.images[0] : undefined;
      if (typeof first !== "string" || first.length === 0) throw new ProviderError("bad_image", `${LABEL} answered without an image.`);
      return { bytes: decodeBase64Image(first) };
    } catch (error) {
      if (error instanceof SyntaxError) throw new ProviderError("bad_image", `${LABEL} sent an answer that is not JSON.`);
      classifyThrown(error, LABEL, request.signal);
    } finally {
      request.signal.removeEventListener("abort", onAbort);
      polling.abort();
      await watcher;
    }
  }

  /** Polls progress until `stop`; each new step with a picture becomes a step preview. */
  private async watchProgress(url: string, request: ImageRequest, stop: AbortSignal): Promise<void> {
    let lastStep = -1;
    while (!stop.aborted) {
      // Ends early (quietly) when the image is in or the run is stopped.
      await wait(PROGRESS_INTERVAL_MS, undefined, { signal: stop }).catch(() => undefined);
      if (stop.aborted) return;
      try {
        const response = await fetch(`${url}/sdapi/v1/progress?skip_current_image=false`, { headers: { Accept: "application/json", ...this.headers }, signal: AbortSignal.any([stop, AbortSignal.timeout(5_000)]) });
        if (!response.ok) continue;
        const progress = (await response.json()) as ProgressResponse;
        const step = progress.state?.sampling_step ?? 0;
        if (!progress.current_image || step === lastStep || stop.aborted) continue;
        lastStep = step;
        const steps = progress.state?.sampling_steps || undefined;
        const etaMs = typeof progress.eta_relative === "number" && progress.eta_relative > 0 ? Math.round(progress.eta_relative * 1000) : undefined;
        request.partial?.({ bytes: decodeBase64Image(progress.current_image), step, steps, unit: "step", etaMs });
      } catch {
        // Progress is a courtesy; the image itself comes from txt2img.
      }
    }
  }

  private async interrupt(url: string): Promise<void> {
    try {
      await fetch(`${url}/sdapi/v1/interrupt`, { method: "POST", headers: this.headers, signal: AbortSignal.timeout(5_000) });
    } catch {
      // The server may be gone; the aborted txt2img request is what matters here.
    }
  }
}

function currentModelOption(): ModelOption {
  return { id: CURRENT_MODEL, label: "The server's current checkpoint", available: true, routes: [ROUTE.id] };
}

/** A1111 sends bare base64; some forks prefix a data: URL. */
function decodeBase64Image(value: string): Buffer {
  const comma = value.startsWith("data:") ? value.indexOf(",") : -1;
  return Buffer.from(comma >= 0 ? value.slice(comma + 1) : value, "base64");
}

/** FastAPI errors: `{detail}` (422: a list), A1111 exceptions: `{error, detail, errors}`. */
async function errorDetail(response: Response): Promise<string | undefined> {
  const text = await response.text().catch(() => "");
  try {
    const json = JSON.parse(text) as { detail?: unknown; errors?: unknown; error?: unknown };
    if (typeof json.errors === "string" && json.errors) return json.errors;
    const detail = fastApiDetail(json.detail);
    if (detail) return detail;
    if (typeof json.error === "string") return json.error;
  } catch {
    // Not JSON.
  }
  return text && !text.startsWith("<") ? text.slice(0, 200) : undefined;
}
