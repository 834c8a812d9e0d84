import "server-only";
import { INFERENCE_PROVIDERS, PROVIDERS, type InferenceProvider } from "@huggingface/inference";

/**
 * The Inference Providers the installed client can call for text-to-image, read from the client
 * itself so that upgrading it is the only step needed when Hugging Face adds one.
 */
export const HF_TEXT_TO_IMAGE_PROVIDERS: InferenceProvider[] = INFERENCE_PROVIDERS.filter((provider) => Boolean(PROVIDERS[provider]?.["text-to-image"]));

export function isTextToImageProvider(value: string): value is InferenceProvider {
  return (HF_TEXT_TO_IMAGE_PROVIDERS as string[]).includes(value);
}

/** One Inference Provider's entry in a model's mapping on the Hub, as far as we need it. */
export interface ProviderMappingEntry {
  provider: string;
  providerId: string;
  status: "live" | "staging" | string;
  task: string;
}

/**
 * The providers that can make pictures with a model, in the Hub's order: live, for `task`
 * (text-to-image, or image-to-image for an editing model), callable by the installed client,
 * and the pinned one alone when `HF_PROVIDER` pins one.
 */
export function usableRoutes(mapping: ProviderMappingEntry[], pinned: string, task: "text-to-image" | "image-to-image" = "text-to-image"): InferenceProvider[] {
  const usable = mapping
    .filter((entry) => entry.task === task && entry.status === "live")
    .map((entry) => entry.provider)
    .filter((provider): provider is InferenceProvider => (INFERENCE_PROVIDERS as readonly string[]).includes(provider) && Boolean(PROVIDERS[provider as InferenceProvider]?.[task]));
  const unique = [...new Set(usable)];
  return pinned === "auto" ? unique : unique.filter((provider) => provider === pinned);
}
