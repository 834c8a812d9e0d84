import "server-only";
import { PROVIDER_NAMES } from "@/lib/providers-meta";
import { z } from "zod";
import { emptyAsUndefined, optionalString, originUrl } from "../../config-fields";
import pLimit from "p-limit";
import sharp from "sharp";
import type { ModelOption } from "@/lib/campaign";
import type { GeneratedImage, ImageProvider, ImageRequest, ProviderRoute, ProviderStatus, RoutePlan } from "../provider";
import { errorFromHttpStatus, parseRetryAfter, ProviderError } from "../provider-error";
import { classifyThrown, networkReason, readBodyCapped } from "../network-error";
import { PlaceholderDetector } from "./placeholder-detector";

/** Its settings (validated with the rest in `env.ts`). */
export const pollinationsSettings = {
  POLLINATIONS_BASE_URL: originUrl("https://gen.pollinations.ai"),
  POLLINATIONS_LEGACY_URL: originUrl("https://image.pollinations.ai"),
  POLLINATIONS_MODEL: z.preprocess(emptyAsUndefined, z.string().default("flux")),
  POLLINATIONS_TOKEN: optionalString,
};

export interface PollinationsConfig {
  /** The current API (`gen.pollinations.ai`): `GET /image/{prompt}` with a Bearer key. */
  baseUrl: string;
  /** The legacy anonymous endpoint (`image.pollinations.ai`): `GET /prompt/{prompt}`. */
  legacyUrl: string;
  model: string;
  token?: string;
}

const KEYED_LABEL = PROVIDER_NAMES.pollinations;
// The free endpoint says what it is wherever it is named.
const FREE_LABEL = `${PROVIDER_NAMES.pollinations} (free, no key: one image at a time)`;
const GEN_ROUTE: ProviderRoute = { id: "gen", label: "Pollinations API" };
const LEGACY_ROUTE: ProviderRoute = { id: "legacy", label: "free endpoint" };
const MODELS_TTL_MS = 10 * 60_000;
/** How long a failed reachability probe keeps the provider marked unavailable before it is asked again. */
const UNREACHABLE_TTL_MS = 10_000;
const REACHABLE_TTL_MS = 60_000;
/** The free endpoint allows one request per IP at a time and asks for ~5 s between them. */
const LEGACY_QUEUE_FULL_WAIT_MS = 5_000;

/**
 * What a marketer should know before choosing Pollinations as configured (its docs, December 2026):
 * without a key the legacy host is in maintenance mode and, behind its CDN, counts its
 * one-request-at-a-time queue by the CDN's address rather than ours, so images wait or fail for
 * reasons outside this app; a publishable `pk_` key is meant for browsers and is limited as one.
 */
export function pollinationsWarning(token: string | undefined): string | undefined {
  if (!token) return "The free endpoint is in maintenance mode and its one-at-a-time queue counts its CDN's address, not this server's: images may wait or fail at random. A free secret key (sk_…) from enter.pollinations.ai uses the current API: set POLLINATIONS_TOKEN.";
  if (token.startsWith("pk_")) return "POLLINATIONS_TOKEN is a publishable pk_ key, meant for browsers and rate-limited as one. On a server use a secret sk_ key from enter.pollinations.ai.";
  return undefined;
}

interface ModelsCache {
  models: ModelOption[];
  expiresAt: number;
}

/**
 * Pollinations, as it works today: with `POLLINATIONS_TOKEN`, the keyed API and its model list;
 * without one, the legacy free endpoint, one request at a time per server process, with its
 * queue-full answers retried and its placeholder pictures refused.
 */
export class PollinationsProvider implements ImageProvider {
  readonly id = "pollinations" as const;
  readonly label: string;
  private readonly legacySlot = pLimit(1);
  private readonly placeholders = new PlaceholderDetector();
  private modelsCache?: ModelsCache;
  /** The last answer to "can Pollinations be reached at all?", so a dead network is said before a run. */
  private reachability?: { problem?: string; expiresAt: number };

  constructor(
    private readonly config: PollinationsConfig,
    private readonly now: () => number = Date.now,
  ) {
    this.label = config.token ? KEYED_LABEL : FREE_LABEL;
  }

  private get route(): ProviderRoute {
    return this.config.token ? GEN_ROUTE : LEGACY_ROUTE;
  }

  status(): ProviderStatus {
    const cached = this.modelsCache && this.modelsCache.expiresAt > this.now() ? this.modelsCache.models : undefined;
    const configured: ModelOption = { id: this.config.model, label: this.config.model, available: true, routes: [this.route.id] };
    const models = cached && cached.length > 0 ? orderWithDefaultFirst(cached, this.config.model) : [configured];
    const problem = this.reachability && this.reachability.expiresAt > this.now() ? this.reachability.problem : undefined;
    const warning = pollinationsWarning(this.config.token);
    return { id: this.id, label: this.label, model: models[0]!.id, models, available: !problem, ...(problem ? { reason: problem } : {}), ...(warning ? { warning } : {}) };
  }

  async refresh(options: { fresh?: boolean } = {}): Promise<ProviderStatus> {
    const now = this.now();
    const modelsFresh = this.modelsCache && this.modelsCache.expiresAt > now;
    const probeFresh = this.reachability && this.reachability.expiresAt > now;
    if (this.config.token ? options.fresh || !modelsFresh || !probeFresh : options.fresh || !probeFresh) {
      // The keyed API's model list doubles as the probe; the free endpoint has its own list.
      const answer = await this.fetchModels(this.config.token ? `${this.config.baseUrl}/image/models` : `${this.config.legacyUrl}/models`);
      if ("problem" in answer) {
        this.reachability = { problem: answer.problem, expiresAt: this.now() + UNREACHABLE_TTL_MS };
      } else {
        this.reachability = { expiresAt: this.now() + REACHABLE_TTL_MS };
        if (this.config.token && answer.models) this.modelsCache = { models: answer.models, expiresAt: this.now() + MODELS_TTL_MS };
      }
    }
    return this.status();
  }

  /**
   * A model list (`GET /image/models` of the keyed API: names or `{name, description, output_modalities}`);
   * `problem` only when Pollinations cannot be reached at all (any HTTP answer means it can).
   */
  private async fetchModels(url: string): Promise<{ models?: ModelOption[] } | { problem: string }> {
    let response: Response;
    try {
      response = await fetch(url, { headers: { Accept: "application/json" }, signal: AbortSignal.timeout(10_000) });
    } catch (error) {
      return { problem: `Could not reach Pollinations: ${networkReason(error)}. Check the network, or choose another provider.` };
    }
    try {
      if (!response.ok) return {};
      const list = (await response.json()) as unknown;
      if (!Array.isArray(list)) return {};
      const models: ModelOption[] = [];
      for (const item of list) {
        const entry = typeof item === "string" ? { name: item } : (item as { name?: unknown; description?: unknown; output_modalities?: unknown });
        if (typeof entry.name !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._\-/:]*$/.test(entry.name)) continue;
        const outputs = Array.isArray(entry.output_modalities) ? entry.output_modalities : ["image"];
        if (!outputs.includes("image")) continue;
        const description = typeof entry.description === "string" ? entry.description.trim().slice(0, 80) : "";
        models.push({ id: entry.name, label: description ? `${entry.name} — ${description}` : entry.name, available: true, routes: [GEN_ROUTE.id] });
      }
      return { models };
    } catch {
      return {};
    }
  }

  async planRoutes(model: string): Promise<RoutePlan> {
    const status = await this.refresh();
    if (!status.available) return { ok: false, code: "upstream", message: status.reason! };
    if (!status.models.some((option) => option.id === model)) {
      return { ok: false, code: "invalid", message: `Pollinations does not offer ${model}: choose one of ${status.models.map((option) => option.id).join(", ")}.` };
    }
    // The free endpoint takes one request at a time: the run queues its images instead of timing out in line.
    return { ok: true, routes: [this.route], ...(this.config.token ? {} : { concurrency: 1 }) };
  }

  async generate(request: ImageRequest): Promise<GeneratedImage> {
    if (this.config.token) return this.generateKeyed(request);
    if (this.legacySlot.activeCount + this.legacySlot.pendingCount > 0) request.report?.("Waiting for Pollinations (free: one image at a time)");
    return this.legacySlot(() => {
      request.signal.throwIfAborted();
      request.report?.("Generating");
      return this.generateFree(request);
    });
  }

  private async generateKeyed(request: ImageRequest): Promise<GeneratedImage> {
    // The keyed API documents negative_prompt (flux and zimage read it); the free endpoint does not.
    const url = `${this.config.baseUrl}/image/${encodeURIComponent(request.prompt)}?${imageQuery(request, { negative_prompt: request.negativePrompt })}`;
    try {
      const response = await fetch(url, { headers: { Accept: "image/*", Authorization: `Bearer ${this.config.token}` }, signal: request.signal });
      if (!response.ok) throw await keyedError(response);
      const bytes = await readBodyCapped(response, KEYED_LABEL);
      return { bytes, mimeType: response.headers.get("content-type") ?? undefined };
    } catch (error) {
      classifyThrown(error, KEYED_LABEL, request.signal);
    }
  }

  private async generateFree(request: ImageRequest): Promise<GeneratedImage> {
    const url = `${this.config.legacyUrl}/prompt/${encodeURIComponent(request.prompt)}?${imageQuery(request)}`;
    try {
      const response = await fetch(url, { headers: { Accept: "image/*" }, signal: request.signal });
      if (!response.ok) throw await freeError(response);
      const bytes = await readBodyCapped(response, FREE_LABEL);
      const size = await sharp(bytes).metadata().catch(() => undefined);
      if (size?.width && size.height) {
        const placeholder = this.placeholders.check(bytes, { width: size.width, height: size.height }, request);
        if (placeholder) {
          throw new ProviderError(
            "rate_limited",
            `Pollinations' free endpoint sent its rate-limit picture instead of the creative (${placeholder}). Set POLLINATIONS_TOKEN for reliable access.`,
            { retryAfterMs: LEGACY_QUEUE_FULL_WAIT_MS },
          );
        }
      }
      return { bytes, mimeType: response.headers.get("content-type") ?? undefined };
    } catch (error) {
      classifyThrown(error, FREE_LABEL, request.signal);
    }
  }
}

/** Both endpoints' parameters: the model, the size, the seed, no logo, kept out of the public feed. */
function imageQuery(request: ImageRequest, extra: Record<string, string> = {}): URLSearchParams {
  return new URLSearchParams({
    model: request.model,
    width: String(request.width),
    height: String(request.height),
    seed: String(request.seed),
    ...extra,
    nologo: "true",
    private: "true",
  });
}

async function keyedError(response: Response): Promise<ProviderError> {
  const detail = summarize(await response.text().catch(() => ""));
  if (response.status === 401 || response.status === 403) {
    return new ProviderError("auth", "Pollinations rejected the key: check POLLINATIONS_TOKEN (create one at enter.pollinations.ai).", { status: response.status });
  }
  if (response.status === 402) {
    return new ProviderError("payment_required", "Pollinations: this key has no pollen left for that model (HTTP 402). Top up at enter.pollinations.ai, wait for the daily credits, or choose flux.", {
      status: 402,
    });
  }
  return errorFromHttpStatus(KEYED_LABEL, response.status, detail, { retryAfterMs: parseRetryAfter(response.headers.get("retry-after")) });
}

async function freeError(response: Response): Promise<ProviderError> {
  const detail = summarize(await response.text().catch(() => ""));
  const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
  // 402 "Queue full for IP … (max: 1)" is a rate limit, whatever its status says.
  if (response.status === 402 || response.status === 429) {
    return new ProviderError("rate_limited", `Pollinations' free endpoint is busy for this server's address (HTTP ${response.status}${detail ? `: ${detail.slice(0, 120)}` : ""}).`, {
      status: response.status,
      retryAfterMs: retryAfterMs ?? LEGACY_QUEUE_FULL_WAIT_MS,
    });
  }
  return errorFromHttpStatus(FREE_LABEL, response.status, detail, { retryAfterMs });
}

/** The message of a JSON error (`{error: "…"}` or `{error: {message}}`), plain text, never an HTML page. */
function summarize(text: string): string | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  try {
    const json = JSON.parse(trimmed) as Record<string, unknown>;
    const error = json.error;
    if (typeof error === "string") return error;
    if (error && typeof error === "object" && typeof (error as Record<string, unknown>).message === "string") return (error as Record<string, string>).message;
    if (typeof json.message === "string") return json.message;
  } catch {
    // Not JSON: fall through to the plain text, unless it is an HTML page.
  }
  return trimmed.startsWith("<") ? undefined : trimmed.slice(0, 200);
}

function orderWithDefaultFirst(models: ModelOption[], preferred: string): ModelOption[] {
  const first = models.find((model) => model.id === preferred);
  return first ? [first, ...models.filter((model) => model !== first)] : models;
}
