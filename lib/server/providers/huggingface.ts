import "server-only";
import { InferenceClient, InferenceClientProviderApiError, InferenceClientProviderOutputError } from "@huggingface/inference";
import type { GeneratedImage, ImageProvider, ImageRequest, ProviderStatus } from "./provider";
import { errorFromHttpStatus, parseRetryAfter, ProviderError } from "./provider-error";
import { classifyThrown, MAX_IMAGE_BYTES } from "./network-error";

export interface HuggingFaceConfig {
  token?: string;
  model: string;
  /** Inference Endpoint / self-hosted / test server; replaces routing through the HF router. */
  endpointUrl?: string;
}

const LABEL = "Hugging Face";

/**
 * SDXL through the official client. The client's own 503 handling re-sends at once and forever,
 * so it is switched off (`retry_on_error: false`) and the runner's retry policy decides instead.
 */
export class HuggingFaceProvider implements ImageProvider {
  readonly id = "huggingface" as const;
  readonly label = LABEL;
  readonly model: string;
  private readonly client: InferenceClient;

  constructor(private readonly config: HuggingFaceConfig) {
    this.model = config.model;
    const client = new InferenceClient(config.token ?? "");
    this.client = config.endpointUrl ? client.endpoint(config.endpointUrl) : client;
  }

  status(): ProviderStatus {
    const available = Boolean(this.config.token || this.config.endpointUrl);
    return {
      id: this.id,
      label: this.label,
      model: this.model,
      available,
      reason: available ? undefined : "Set HF_TOKEN in .env.local to use Hugging Face",
    };
  }

  async generate(request: ImageRequest): Promise<GeneratedImage> {
    // The client drops response headers from its errors; keep the last Retry-After ourselves.
    let retryAfter: string | null = null;
    const trackingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      retryAfter = response.headers.get("retry-after");
      const declared = Number(response.headers.get("content-length") ?? "0");
      if (response.ok && declared > MAX_IMAGE_BYTES) {
        await response.body?.cancel().catch(() => {});
        throw new ProviderError("bad_image", `${LABEL} sent ${declared} bytes, more than an image should be.`);
      }
      return response;
    };

    const args = {
      inputs: request.prompt,
      parameters: {
        negative_prompt: request.negativePrompt,
        width: request.width,
        height: request.height,
        seed: request.seed,
      },
      // `endpointUrl` and `provider` are mutually exclusive in the client.
      ...(this.config.endpointUrl ? {} : { model: this.model, provider: "hf-inference" as const }),
    };

    try {
      const blob = await this.client.textToImage(args, {
        signal: request.signal,
        retry_on_error: false,
        fetch: trackingFetch,
        outputType: "blob",
      });
      return { bytes: Buffer.from(await blob.arrayBuffer()), mimeType: blob.type || undefined };
    } catch (error) {
      if (error instanceof InferenceClientProviderApiError) {
        const status = error.httpResponse.status;
        const body = error.httpResponse.body as unknown;
        const detail = describeBody(body);
        const estimated = readEstimatedTime(body);
        throw errorFromHttpStatus(LABEL, status, detail, {
          estimatedTimeSec: estimated,
          retryAfterMs: parseRetryAfter(retryAfter),
          tokenVariable: "HF_TOKEN",
        });
      }
      if (error instanceof InferenceClientProviderOutputError) {
        throw new ProviderError("bad_image", `${LABEL} returned something that is not an image.`, { cause: error });
      }
      classifyThrown(error, LABEL, request.signal);
    }
  }
}

function describeBody(body: unknown): string | undefined {
  if (typeof body === "string") return body.trim() || undefined;
  if (body && typeof body === "object") {
    const record = body as Record<string, unknown>;
    for (const key of ["error", "detail", "message"]) {
      if (typeof record[key] === "string") return record[key] as string;
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
