import "server-only";
import { PROVIDER_NAMES } from "@/lib/providers-meta";
import { z } from "zod";
import { emptyAsUndefined, int, optionalString, originUrl } from "../../config-fields";
import OpenAI, { APIConnectionError, APIError, APIUserAbortError, toFile } from "openai";
import { SingleModelAccess, type GeneratedImage, type ImageProvider, type ImageRequest, type ProviderRoute, type ProviderStatus, type ProviderWarning, type RoutePlan } from "../provider";
import { errorFromHttpStatus, parseRetryAfter, ProviderError } from "../provider-error";
import { classifyThrown, MAX_IMAGE_BYTES, networkReason } from "../network-error";
import { OPENAI_IMAGE_MODELS, openAiSize } from "./openai-models";

/** Its settings (validated with the rest in `env.ts`); the key and address serve the OpenAI copy writer too. */
export const openAiSettings = {
  OPENAI_API_KEY: optionalString,
  /** gpt-image-2 takes any size the ad needs (multiples of 16); the older GPT image models take three. */
  OPENAI_IMAGE_MODEL: z.preprocess(emptyAsUndefined, z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._\-/:]*$/, "must be a model id such as gpt-image-2").default("gpt-image-2")),
  OPENAI_BASE_URL: originUrl("https://api.openai.com/v1"),
  OPENAI_PARTIAL_IMAGES: int(2, 1, 3),
};

export interface OpenAiConfig {
  apiKey?: string;
  model: string;
  /** https://api.openai.com/v1, or a compatible gateway. */
  baseUrl: string;
  /** 1 to 3 partial images streamed before the final one. */
  partialImages: number;
}

const LABEL = PROVIDER_NAMES.openai;
const ROUTE: ProviderRoute = { id: "images-api", label: "Images API" };

/**
 * OpenAI's Images API through the official `openai` SDK, streamed: `stream: true` with
 * `partial_images` sends `image_generation.partial_image` events (each becomes a step preview)
 * and then `image_generation.completed` with the picture. With a packshot the scene is an edit
 * (`images.edit`, streamed the same way as `image_edit.*` events) around it. The SDK's own retries
 * are off: the runner's policy decides.
 */
export class OpenAiProvider implements ImageProvider {
  readonly id = "openai" as const;
  readonly label = LABEL;
  private readonly client?: OpenAI;
  private readonly access: SingleModelAccess;

  constructor(private readonly config: OpenAiConfig) {
    if (config.apiKey) this.client = new OpenAI({ apiKey: config.apiKey, baseURL: config.baseUrl, maxRetries: 0, timeout: 600_000 });
    this.access = new SingleModelAccess({ id: this.id, label: this.label }, config.model, ROUTE, Boolean(config.apiKey), "Set OPENAI_API_KEY in .env.local (platform.openai.com/api-keys)", "OPENAI_IMAGE_MODEL", OPENAI_IMAGE_MODELS);
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

  /** Every GPT image model edits: the packshot goes in as the image, its transparent surroundings as the mask. */
  buildsAroundProduct(): boolean {
    return true;
  }

  async generate(request: ImageRequest): Promise<GeneratedImage> {
    const client = this.client;
    if (!client) throw new ProviderError("auth", "Set OPENAI_API_KEY in .env.local.");
    const avoid = request.negativePrompt.trim();
    const warnings = openAiWarnings(avoid);
    const common = {
      model: request.model,
      // GPT image models read plain language; there is no separate negative prompt.
      prompt: avoid ? `${request.prompt}\n\nAvoid: ${avoid}.` : request.prompt,
      size: openAiSize(request.model, request.width, request.height),
      n: 1,
      output_format: "png" as const,
      stream: true as const,
      partial_images: this.config.partialImages,
    };
    try {
      const [width, height] = common.size.split("x").map(Number) as [number, number];
      const reference = request.reference ? (await request.reference({ width, height })).image : undefined;
      const stream = reference
        ? await client.images.edit(
            {
              ...common,
              image: await toFile(reference, "product.png", { type: "image/png" }),
              // Fully transparent where the scene goes; the product's own pixels are kept.
              mask: await toFile(reference, "mask.png", { type: "image/png" }),
              background: "opaque",
              // The mini model does not take it; the others keep the product closer with it.
              ...(request.model.includes("mini") ? {} : { input_fidelity: "high" as const }),
            },
            { signal: request.signal },
          )
        : await client.images.generate(common, { signal: request.signal });
      for await (const event of stream) {
        if (event.type === "image_generation.partial_image" || event.type === "image_edit.partial_image") {
          request.partial?.({ bytes: decodeImage(event.b64_json), step: event.partial_image_index + 1, steps: this.config.partialImages, unit: "draft" });
        } else if (event.type === "image_generation.completed" || event.type === "image_edit.completed") {
          return { bytes: decodeImage(event.b64_json), mimeType: `image/${event.output_format}`, warnings };
        }
      }
      throw new ProviderError("provider_error", "OpenAI ended the stream without the finished image.");
    } catch (error) {
      throw toProviderError(error, request.signal);
    }
  }
}

/** What the Images API cannot be asked for (it has no seed and no negative prompt), said to the marketer. */
function openAiWarnings(avoid: string): ProviderWarning[] {
  return [
    { setting: "seed", message: "OpenAI's image models take no seed: running the same set again makes other pictures." },
    ...(avoid ? [{ setting: "negativePrompt" as const, message: "OpenAI's image models take no negative prompt: what to avoid was written into the prompt instead." }] : []),
  ];
}

function decodeImage(b64: string): Buffer {
  if (b64.length > (MAX_IMAGE_BYTES * 4) / 3) throw new ProviderError("bad_image", "OpenAI sent more than an image should be.");
  return Buffer.from(b64, "base64");
}

/** The provider's words, at most 200 characters, ending with one full stop. */
function sentence(text: string): string {
  return `${text.slice(0, 200).trim().replace(/[.\s]+$/, "")}.`;
}

function toProviderError(error: unknown, signal: AbortSignal): unknown {
  if (ProviderError.is(error)) return error;
  if (signal.aborted || error instanceof APIUserAbortError) return signal.reason ?? error;
  if (error instanceof APIConnectionError) {
    return new ProviderError("network", `Could not reach OpenAI: ${networkReason(error.cause ?? error)}. Check the network (and OPENAI_BASE_URL), then try again.`, { cause: error });
  }
  if (error instanceof APIError && typeof error.status === "number") {
    const body = error.error as { message?: string; code?: string } | undefined;
    const detail = body?.message ?? error.message;
    if (body?.code === "moderation_blocked" || body?.code === "content_policy_violation") {
      return new ProviderError("bad_request", `OpenAI's safety system refused this prompt: ${sentence(detail)} Change the brief's wording and try again.`, { status: error.status });
    }
    if (error.status === 403) {
      return new ProviderError("auth", `OpenAI refused the request (HTTP 403): ${detail.slice(0, 200)} GPT image models need a verified organisation (platform.openai.com/settings/organization/general).`, { status: 403 });
    }
    if (error.status === 429 && body?.code === "insufficient_quota") {
      return new ProviderError("payment_required", "OpenAI: this key has no quota left (insufficient_quota). Add credit at platform.openai.com/settings/organization/billing.", { status: 429 });
    }
    return errorFromHttpStatus(LABEL, error.status, detail, { tokenVariable: "OPENAI_API_KEY", retryAfterMs: parseRetryAfter(error.headers?.get("retry-after")) });
  }
  // A stream error event (`event: error`) arrives as an APIError without a status: a moderation
  // refusal there is the same answer as a 400 before the stream, and another attempt would get it too.
  if (error instanceof APIError) {
    const body = error.error as { message?: string; code?: string } | undefined;
    if (body?.code === "moderation_blocked" || body?.code === "content_policy_violation") {
      return new ProviderError("bad_request", `OpenAI's safety system refused this prompt: ${sentence(body.message ?? error.message)} Change the brief's wording and try again.`);
    }
    return new ProviderError("provider_error", `OpenAI failed: ${error.message.slice(0, 200)}`);
  }
  // Throws the classified error (or the abort) itself.
  return classifyThrown(error, LABEL, signal);
}
