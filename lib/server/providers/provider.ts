import "server-only";
import type { ProviderId, ProviderOption, Tone, VisualStyle } from "@/lib/campaign";
import type { BuiltinPresetId } from "@/lib/design";

/**
 * One way to reach a model: an Inference Provider behind the Hugging Face router ("fal-ai"),
 * a dedicated endpoint, Pollinations' keyed or free endpoint. The runner tries a job's routes in
 * order and records which one made each picture.
 */
export interface ProviderRoute {
  id: string;
  label: string;
}

/** A picture still forming, as a provider streams it (an A1111 sampler step, an OpenAI partial image). */
export interface PartialPicture {
  bytes: Buffer;
  step?: number;
  steps?: number;
  unit?: "step" | "draft";
  etaMs?: number;
}

/** Art direction for the built-in renderer, which draws from the brief rather than from a prompt. */
export interface BuiltinArtDirection {
  productName: string;
  style: VisualStyle;
  tone: Tone;
  variant: number;
  preset?: BuiltinPresetId;
  /** The brand's colours and where the layout leaves the picture free of copy (fractions). */
  brand?: { primary: string; secondary: string };
  room?: { x: number; y: number; width: number; height: number };
  /** A product image will stand in the picture. */
  product?: boolean;
  /** Where that product will stand (fractions of the canvas): a renderer that draws a stage sets it right under it. */
  stage?: { x: number; y: number; width: number; height: number };
}

export interface ProviderOptions {
  builtin?: BuiltinArtDirection;
}

export interface ImageRequest {
  prompt: string;
  negativePrompt: string;
  width: number;
  height: number;
  seed: number;
  model: string;
  route: ProviderRoute;
  /** Aborted on Stop, client disconnect or per-attempt timeout. Providers must pass it to I/O. */
  signal: AbortSignal;
  /**
   * Options for one provider only, under its id (as the AI SDK's `providerOptions`): every
   * provider reads its own entry and ignores the rest. The built-in renderer, which reads no
   * prompt, takes its art direction here.
   */
  providerOptions: ProviderOptions;
  /**
   * The packshot where the ad will have it, on a transparent picture of the size the provider will
   * answer with (so it lines up once fitted to the ad), for a provider that `buildsAroundProduct`:
   * the scene is generated around it (the prompt already says so); the compositor pastes the
   * original back.
   */
  reference?: (picture: { width: number; height: number }) => Promise<{ image: Buffer; rect: { x: number; y: number; width: number; height: number } }>;
  /** Tells the marketer what the provider is doing ("Waiting for Pollinations…"); optional. */
  report?: (message: string) => void;
  /** Shows the picture forming; providers that stream steps call it, others never do. Cheap to call often: the runner throttles. */
  partial?: (picture: PartialPicture) => void;
}

export interface GeneratedImage {
  bytes: Buffer;
  /** What the provider claims; the runner verifies the bytes itself. */
  mimeType?: string;
  /** The model that made the picture when it is not the one asked for: a scene built around the product by the editing model. */
  model?: string;
  /** What was asked and not done (no seed taken, a negative prompt not sent): shown to the marketer beside the creatives. */
  warnings?: ProviderWarning[];
}

/** A setting of the request the provider could not honour, as the AI SDK's call warnings: which, and what happened instead. */
export interface ProviderWarning {
  setting: "seed" | "negativePrompt" | "size" | "other";
  /** One sentence for the marketer: "OpenAI's image models take no seed: running the set again gives other pictures." */
  message: string;
}

/** `reason` says why it cannot run, phrased as the fix ("Set HF_TOKEN in .env.local"). */
export type ProviderStatus = ProviderOption;

/** The routes that serve a model, or why none can (answered before any image is asked for). */
export type RoutePlan =
  | { ok: true; routes: ProviderRoute[]; /** At most this many images of a run at once (a one-at-a-time endpoint). */ concurrency?: number }
  | { ok: false; /** "invalid": the model is not one it offers; "upstream": its catalogue could not be asked. */ code: "invalid" | "upstream"; message: string };

/** What a provider offers, for the form and the operator: models, whether it can run, its account. */
export interface ProviderCatalogue {
  readonly id: ProviderId;
  readonly label: string;
  /** What is known now, from configuration and caches; never waits on the network. */
  status(): ProviderStatus;
  /** What the provider offers (model lists, provider mappings), from caches while they are fresh unless `fresh`. */
  refresh(options?: { fresh?: boolean }): Promise<ProviderStatus>;
  /** Checks the credentials with the provider (Hugging Face whoami); only where `checkable`. */
  checkAccount?(): Promise<ProviderStatus>;
}

/** What the runner needs of a provider: the routes for a model, and pictures. */
export interface ImageGenerator {
  readonly id: ProviderId;
  readonly label: string;
  /** The routes to try for `model`, in order; refuses a model that nothing serves. */
  planRoutes(model: string): Promise<RoutePlan>;
  /** Whether `model` can generate a scene around a reference picture of the product (an image edit); may ask the provider's catalogue. */
  buildsAroundProduct?(model: string): boolean | Promise<boolean>;
  /** Throws ProviderError (lib/server/providers/provider-error.ts) for anything the runner should classify. */
  generate(request: ImageRequest): Promise<GeneratedImage>;
}

/** A provider is both: the registry lists its catalogue, the runner uses its generator. */
export type ImageProvider = ProviderCatalogue & ImageGenerator;

/** A provider with exactly one route and one model (built-in, tests). */
export function singleRoute(route: ProviderRoute): RoutePlan {
  return { ok: true, routes: [route] };
}

/**
 * A provider with one configured model behind a key (OpenAI, fal): its status, and the plan that
 * refuses anything else before a call. `missing` is the fix when the key is not set.
 */
export class SingleModelAccess {
  constructor(
    private readonly provider: { id: ProviderId; label: string },
    private readonly model: string,
    private readonly route: ProviderRoute,
    private readonly configured: boolean,
    private readonly missing: string,
    /** The variable that picks the model ("OPENAI_IMAGE_MODEL"). */
    private readonly modelVariable: string,
    /** Other models the provider offers beside the configured one (which stays the default). */
    private readonly others: readonly string[] = [],
  ) {}

  private get offered(): string[] {
    return [...new Set([this.model, ...this.others])];
  }

  status(): ProviderStatus {
    const options = this.offered.map((id) => ({ id, label: id, available: true, routes: [this.route.id] }));
    // Only the id and label: a status is sent to the browser.
    return { id: this.provider.id, label: this.provider.label, model: this.model, models: options, available: this.configured, ...(this.configured ? {} : { reason: this.missing }) };
  }

  plan(model: string): RoutePlan {
    if (!this.configured) return { ok: false, code: "invalid", message: this.missing };
    if (!this.offered.includes(model)) {
      return { ok: false, code: "invalid", message: this.others.length > 0 ? `${this.provider.label} offers ${this.offered.join(", ")}; ${model} is not one of them (${this.modelVariable} adds one).` : `${this.provider.label} is set up for ${this.model} (${this.modelVariable}).` };
    }
    return { ok: true, routes: [this.route] };
  }
}
