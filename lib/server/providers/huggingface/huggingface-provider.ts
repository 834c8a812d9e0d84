import "server-only";
import { PROVIDER_NAMES } from "@/lib/providers-meta";
import { z } from "zod";
import { emptyAsUndefined, optionalString, optionalUrl, originUrl } from "../../config-fields";
import {
  InferenceClient,
  InferenceClientHubApiError,
  InferenceClientInputError,
  InferenceClientProviderApiError,
  InferenceClientProviderOutputError,
  InferenceClientRoutingError,
  type InferenceProvider,
} from "@huggingface/inference";
import type { AccountCheck, ModelOption } from "@/lib/campaign";
import type { GeneratedImage, ImageProvider, ImageRequest, ProviderRoute, ProviderStatus, RoutePlan } from "../provider";
import { errorFromHttpStatus, parseRetryAfter, ProviderError } from "../provider-error";
import { classifyThrown, MAX_IMAGE_BYTES } from "../network-error";
import { atReferenceSize, referenceOnBackdrop } from "../product-edit";
import { HfHub, type MappingLookup } from "./hf-hub";
import { installHfOriginRewrite } from "./hf-origins";
import { HF_TEXT_TO_IMAGE_PROVIDERS, usableRoutes } from "./hf-routes";
import { followReplicatePredictions } from "./replicate-wait";
import { sizeParameters } from "./size-parameters";

/** SDXL (the brief's model), FLUX.1 [schnell] (fast, Apache-2.0) and Qwen-Image (strong, Apache-2.0); see the README. */
export const DEFAULT_HF_MODELS = ["stabilityai/stable-diffusion-xl-base-1.0", "black-forest-labs/FLUX.1-schnell", "Qwen/Qwen-Image"];

const modelList = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .optional()
    .transform((value) => (value ? [...new Set(value.split(",").map((item) => item.trim()).filter(Boolean))] : undefined))
    .pipe(
      z
        .array(z.string().regex(/^[\w.-]+\/[\w.-]+$/, "each model must be a Hub id such as black-forest-labs/FLUX.1-schnell"))
        .min(1, "must name at least one model")
        .optional(),
    ),
);

/** Its settings (validated with the rest in `env.ts`); the token, hub, router and billing serve the Hugging Face copy writer too. */
export const huggingFaceSettings = {
  HF_TOKEN: z.preprocess(
    emptyAsUndefined,
    z.string().trim().startsWith("hf_", "must be a Hugging Face access token (it starts with hf_; create one at huggingface.co/settings/tokens)").optional(),
  ),
  HF_MODELS: modelList,
  /** Kept for configurations written before HF_MODELS: one model. */
  HF_MODEL: optionalString,
  HF_PROVIDER: z.preprocess(
    emptyAsUndefined,
    z
      .enum(["auto", ...HF_TEXT_TO_IMAGE_PROVIDERS] as [string, ...string[]], {
        error: `must be auto or one of: ${HF_TEXT_TO_IMAGE_PROVIDERS.join(", ")}`,
      })
      .default("auto"),
  ),
  /** An organization that pays for Inference Providers calls instead of the token's owner (sent as X-HF-Bill-To). */
  HF_BILL_TO: z.preprocess(
    emptyAsUndefined,
    z.string().trim().regex(/^[A-Za-z0-9][\w.-]{0,95}$/, "must be the name of a Hugging Face organization you belong to, as in huggingface.co/<name>").optional(),
  ),
  /** The image-to-image model that builds the scene around a packshot; "none" pastes the packshot over a text-to-image scene instead. */
  HF_EDIT_MODEL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .trim()
      .regex(/^([\w.-]+\/[\w.-]+|none)$/, "must be a Hub model id such as black-forest-labs/FLUX.1-Kontext-dev, or none")
      .default("black-forest-labs/FLUX.1-Kontext-dev")
      .transform((value) => (value === "none" ? undefined : value)),
  ),
  HF_HUB_URL: originUrl("https://huggingface.co"),
  HF_ROUTER_URL: originUrl("https://router.huggingface.co"),
  HF_ENDPOINT_URL: optionalUrl,
};

export interface HuggingFaceConfig {
  token?: string;
  /** The models offered in the form, first is the default. */
  models: string[];
  /** "auto" (every provider that serves the model, in the Hub's order) or one Inference Provider. */
  pinnedProvider: string;
  hubUrl: string;
  routerUrl: string;
  /** A dedicated Inference Endpoint; replaces the router and the provider mapping. */
  endpointUrl?: string;
  /** The image-to-image model that builds a scene around a packshot (FLUX.1 Kontext); none turns that off. */
  editModel?: string;
  /** An organization that pays for the calls (HF_BILL_TO), sent as `X-HF-Bill-To` by the client. */
  billTo?: string;
}

const LABEL = PROVIDER_NAMES.huggingface;
const ENDPOINT_ROUTE: ProviderRoute = { id: "endpoint", label: "Inference Endpoint" };

/**
 * Text-to-image through Hugging Face Inference Providers with the official client. Each image
 * asks one provider at a time (`route`); the runner moves on to the next route when one fails.
 * The client's own 503 handling re-sends at once and forever, so it is switched off
 * (`retry_on_error: false`) and the runner's retry policy decides instead.
 */
export class HuggingFaceProvider implements ImageProvider {
  readonly id = "huggingface" as const;
  readonly label = LABEL;
  private readonly client: InferenceClient;
  private account?: AccountCheck;

  constructor(
    private readonly config: HuggingFaceConfig,
    private readonly hub = new HfHub({ hubUrl: config.hubUrl, token: config.token }),
  ) {
    installHfOriginRewrite({ hub: config.hubUrl, router: config.routerUrl });
    const client = new InferenceClient(config.token ?? "", config.billTo ? { billTo: config.billTo } : {});
    this.client = config.endpointUrl ? client.endpoint(config.endpointUrl) : client;
  }

  private get configured(): boolean {
    return Boolean(this.config.token || this.config.endpointUrl);
  }

  status(): ProviderStatus {
    const models = this.modelOptions();
    const available = this.configured;
    return {
      id: this.id,
      label: this.label,
      model: (models.find((model) => model.available) ?? models[0])!.id,
      models,
      available,
      reason: available ? undefined : "Set HF_TOKEN in .env.local to use Hugging Face",
      checkable: Boolean(this.config.token),
      account: this.account,
    };
  }

  async refresh(options: { fresh?: boolean } = {}): Promise<ProviderStatus> {
    if (this.configured && !this.config.endpointUrl) {
      const models = this.config.editModel ? [...this.config.models, this.config.editModel] : this.config.models;
      await Promise.all(models.map((model) => this.hub.mapping(model, options)));
    }
    return this.status();
  }

  /**
   * With a packshot, every model's scene is built by the editing model (HF_EDIT_MODEL) when an
   * Inference Provider serves it for image-to-image; otherwise the packshot is pasted over a
   * text-to-image scene, as before.
   */
  async buildsAroundProduct(): Promise<boolean> {
    return (await this.editRoutes()).length > 0;
  }

  private async editRoutes(): Promise<InferenceProvider[]> {
    const model = this.config.editModel;
    if (!model || !this.config.token || this.config.endpointUrl) return [];
    const lookup = await this.hub.mapping(model);
    return lookup.ok ? usableRoutes(lookup.mapping, this.config.pinnedProvider, "image-to-image") : [];
  }

  /** whoami, and the provider mappings asked again: the Check button is how a user says "look now". */
  async checkAccount(): Promise<ProviderStatus> {
    this.account = await this.hub.whoami();
    return this.refresh({ fresh: true });
  }

  async planRoutes(model: string): Promise<RoutePlan> {
    if (!this.config.models.includes(model)) {
      return { ok: false, code: "invalid", message: `Hugging Face does not offer ${model} here: choose one of ${this.config.models.join(", ")} (HF_MODELS).` };
    }
    if (this.config.endpointUrl) return { ok: true, routes: [ENDPOINT_ROUTE] };
    const lookup = await this.hub.mapping(model);
    const option = this.modelOption(model, lookup);
    // A model nothing serves is the request's to fix (400); a refused token or an unreachable Hub is not (502).
    if (!option.available) return { ok: false, code: lookup.ok || lookup.problem === "not-found" ? "invalid" : "upstream", message: option.reason! };
    return { ok: true, routes: option.routes.map((id) => ({ id, label: id })) };
  }

  private modelOptions(): ModelOption[] {
    if (this.config.endpointUrl) {
      return [{ id: this.config.models[0]!, label: "Your Inference Endpoint (HF_ENDPOINT_URL)", available: true, routes: [ENDPOINT_ROUTE.id] }];
    }
    return this.config.models.map((model) => {
      if (!this.config.token) return { id: model, label: shortName(model), available: false, reason: "Set HF_TOKEN in .env.local", routes: [] };
      const lookup = this.hub.cached(model);
      // Not looked up yet: offered, and checked for real before the run starts.
      return lookup ? this.modelOption(model, lookup) : { id: model, label: shortName(model), available: true, routes: [] };
    });
  }

  private modelOption(model: string, lookup: MappingLookup): ModelOption {
    const label = shortName(model);
    if (!lookup.ok) return { id: model, label, available: false, reason: lookup.message, routes: [] };
    const routes = usableRoutes(lookup.mapping, this.config.pinnedProvider);
    if (routes.length > 0) return { id: model, label, available: true, routes };
    const reason =
      this.config.pinnedProvider === "auto"
        ? `No Inference Provider serves ${model} for text-to-image right now; choose another model.`
        : `${this.config.pinnedProvider} (HF_PROVIDER) does not serve ${model} for text-to-image; choose another model or set HF_PROVIDER=auto.`;
    return { id: model, label, available: false, reason, routes: [] };
  }

  async generate(request: ImageRequest): Promise<GeneratedImage> {
    if (request.reference) {
      const routes = await this.editRoutes();
      if (routes.length > 0) return this.buildAroundProduct(request, request.reference, routes);
    }
    const label = request.route.id === ENDPOINT_ROUTE.id ? LABEL : `${LABEL} via ${request.route.label}`;
    const tracking = trackResponses(label);

    const args = {
      inputs: request.prompt,
      parameters: {
        negative_prompt: request.negativePrompt,
        // In the words of the provider that gets it: most ignore a top-level width and height.
        ...sizeParameters(this.config.endpointUrl ? "hf-inference" : request.route.id, request.width, request.height),
        seed: request.seed,
      },
      // `endpointUrl` and `provider` are mutually exclusive in the client.
      ...(this.config.endpointUrl ? {} : { model: request.model, provider: request.route.id as InferenceProvider }),
    };

    try {
      const blob = await this.client.textToImage(args, {
        signal: request.signal,
        retry_on_error: false,
        fetch: followReplicatePredictions(tracking.fetch, { label }),
        outputType: "blob",
      });
      return { bytes: Buffer.from(await blob.arrayBuffer()), mimeType: blob.type || undefined };
    } catch (error) {
      throw toProviderError(error, label, tracking.retryAfter(), request.signal, this.config.billTo);
    }
  }

  /**
   * The scene built around the packshot by the editing model, shown the product on a plain
   * backdrop where this ad will have it. The run's route names a text-to-image provider; the edit
   * goes to the same one when it serves the editing model too, else to the first that does.
   */
  private async buildAroundProduct(request: ImageRequest, reference: NonNullable<ImageRequest["reference"]>, routes: InferenceProvider[]): Promise<GeneratedImage> {
    const provider = routes.find((route) => route === request.route.id) ?? routes[0]!;
    const label = `${LABEL} via ${provider}`;
    const size = { width: request.width, height: request.height };
    const shown = await referenceOnBackdrop((await reference(size)).image);
    const tracking = trackResponses(label);
    try {
      const blob = await this.client.imageToImage(
        {
          inputs: new Blob([new Uint8Array(shown)], { type: "image/png" }),
          parameters: {
            prompt: request.prompt,
            negative_prompt: request.negativePrompt,
            seed: request.seed,
            target_size: size,
            // fal's Kontext endpoints: answer in the frame it was shown, not a preset aspect.
            resolution_mode: "match_input",
          },
          model: this.config.editModel!,
          provider,
        },
        { signal: request.signal, retry_on_error: false, fetch: tracking.fetch },
      );
      return { bytes: await atReferenceSize(Buffer.from(await blob.arrayBuffer()), size), mimeType: "image/png", model: this.config.editModel! };
    } catch (error) {
      throw toProviderError(error, label, tracking.retryAfter(), request.signal, this.config.billTo);
    }
  }
}

/**
 * A fetch for the client that keeps the last Retry-After (the client drops response headers from
 * its errors) and refuses a body declared larger than an image should be.
 */
function trackResponses(label: string): { fetch: typeof fetch; retryAfter: () => string | null } {
  let retryAfter: string | null = null;
  return {
    retryAfter: () => retryAfter,
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      retryAfter = response.headers.get("retry-after");
      const declared = Number(response.headers.get("content-length") ?? "0");
      if (response.ok && declared > MAX_IMAGE_BYTES) {
        await response.body?.cancel().catch(() => {});
        throw new ProviderError("bad_image", `${label} sent ${declared} bytes, more than an image should be.`);
      }
      return response;
    },
  };
}

/** "FLUX.1-schnell" for "black-forest-labs/FLUX.1-schnell": the form is narrow; the full id is its title. */
function shortName(model: string): string {
  return model.slice(model.lastIndexOf("/") + 1);
}

function toProviderError(error: unknown, label: string, retryAfter: string | null, signal: AbortSignal, billTo: string | undefined): unknown {
  if (signal.aborted) return signal.reason ?? error;
  if (error instanceof InferenceClientProviderApiError) {
    const body = error.httpResponse.body as unknown;
    const detail = describeBody(body);
    // Every provider behind the router (and an Inference Endpoint) bills the one account: a 402
    // from any of them means the account is out of credit, and the next one would say the same.
    if (error.httpResponse.status === 402) {
      const who = billTo ? `The ${billTo} organization (HF_BILL_TO)` : "Your Hugging Face account";
      const where = billTo ? `huggingface.co/organizations/${billTo}/settings/billing` : "huggingface.co/settings/billing";
      return new ProviderError("payment_required", `${who} is out of credit for Inference Providers (HTTP 402 from ${label}${detail ? `: ${detail.slice(0, 160)}` : ""}). Add credits or enable pay-as-you-go at ${where}; every provider behind the router bills it, so no other one was tried.`, { status: 402, endsRun: true });
    }
    return errorFromHttpStatus(label, error.httpResponse.status, detail, {
      estimatedTimeSec: readEstimatedTime(body),
      retryAfterMs: parseRetryAfter(retryAfter),
      tokenVariable: "HF_TOKEN",
    });
  }
  if (error instanceof InferenceClientProviderOutputError) {
    return new ProviderError("provider_error", `${label} answered without a usable picture.`, { cause: error });
  }
  if (error instanceof InferenceClientInputError || error instanceof InferenceClientRoutingError) {
    return new ProviderError("unsupported", `${label} cannot run this model: ${error.message}`, { cause: error });
  }
  if (error instanceof InferenceClientHubApiError) {
    return new ProviderError("provider_error", `${label}: the Hugging Face Hub did not say how to reach this model (HTTP ${error.httpResponse.status}).`, { cause: error });
  }
  try {
    classifyThrown(error, label, signal);
  } catch (classified) {
    return classified;
  }
}

function describeBody(body: unknown): string | undefined {
  if (typeof body === "string") return body.trim() || undefined;
  if (body && typeof body === "object") {
    const record = body as Record<string, unknown>;
    for (const key of ["error", "detail", "message"]) {
      const value = record[key];
      if (typeof value === "string") return value;
      if (value && typeof value === "object" && typeof (value as Record<string, unknown>).message === "string") return (value as Record<string, string>).message;
    }
  }
  return undefined;
}

function readEstimatedTime(body: unknown): number | undefined {
  if (!body || typeof body !== "object") return undefined;
  const record = body as Record<string, unknown>;
  const value = record.estimated_time;
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value;
  // Some deployments answer 503 "is currently loading" without an estimate.
  if (typeof record.error === "string" && /currently loading/i.test(record.error)) return 20;
  return undefined;
}
