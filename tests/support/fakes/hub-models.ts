import type { MappingEntry } from "./hugging-face";

/** The Hub as the tests' stand-in tells it: which Inference Providers serve the default models. */
export const SDXL = "stabilityai/stable-diffusion-xl-base-1.0";
export const SCHNELL = "black-forest-labs/FLUX.1-schnell";
export const QWEN = "Qwen/Qwen-Image";

export const STAND_IN_MODELS: Record<string, MappingEntry[]> = {
  [SDXL]: [
    { provider: "fal-ai", providerId: "fal-ai/fast-sdxl" },
    { provider: "nscale", providerId: SDXL },
    { provider: "hf-inference", providerId: SDXL },
  ],
  [SCHNELL]: [
    { provider: "replicate", providerId: "black-forest-labs/flux-schnell" },
    { provider: "together", providerId: "black-forest-labs/FLUX.1-schnell-Free" },
  ],
  // Only a staging mapping: not for real use, so no route.
  [QWEN]: [{ provider: "fal-ai", providerId: "fal-ai/qwen-image", status: "staging" }],
};
