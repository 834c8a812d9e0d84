import "server-only";

/**
 * How each Inference Provider is told the picture's size. `@huggingface/inference` (4.13.30)
 * passes `parameters` to hf-inference as they are, but spreads them into the top level of the
 * body for every other provider, which then reads the size in its own API's words: a top-level
 * `width`/`height` is silently ignored by fal (which answers at 4:3), nscale, DeepInfra, WaveSpeed
 * and Z.ai, and by FLUX on Replicate. Read from the client's provider helpers in node_modules and
 * each provider's API reference (December 2026):
 *
 * | provider | what it reads | source |
 * |---|---|---|
 * | hf-inference, an Inference Endpoint | `parameters.width`, `parameters.height` | Hugging Face text-to-image task spec |
 * | fal-ai | `image_size: {width, height}` (default `landscape_4_3`) | fal Model APIs, FLUX.1 [schnell]/[dev] input schema |
 * | nscale | `size: "WxH"` | nscale OpenAI-compatible `/v1/images/generations` |
 * | deepinfra | `size: "WxH"` | DeepInfra OpenAI-compatible `/v1/openai/images/generations` |
 * | together | `width`, `height` | Together `/v1/images/generations` |
 * | replicate | `aspect_ratio` (FLUX) and `width`, `height` (SDXL and others) | Replicate model input schemas |
 * | wavespeed | `size: "W*H"` | WaveSpeedAI FLUX endpoints |
 * | zai-org | `size: "WxH"` | Z.ai image generation API (CogView/GLM-Image) |
 */
export function sizeParameters(route: string, width: number, height: number): Record<string, unknown> {
  switch (route) {
    case "fal-ai":
      return { image_size: { width, height } };
    case "nscale":
    case "deepinfra":
    case "zai-org":
      return { size: `${width}x${height}` };
    case "wavespeed":
      return { size: `${width}*${height}` };
    case "replicate":
      return { aspect_ratio: nearestAspectRatio(width, height), width, height };
    default:
      return { width, height };
  }
}

/** The aspect ratios FLUX takes on Replicate; the ad is cropped to its exact size afterwards. */
export const REPLICATE_ASPECT_RATIOS = ["1:1", "16:9", "21:9", "3:2", "2:3", "4:5", "5:4", "3:4", "4:3", "9:16", "9:21"] as const;

export function nearestAspectRatio(width: number, height: number): (typeof REPLICATE_ASPECT_RATIOS)[number] {
  const wanted = Math.log(width / height);
  const distance = (ratio: string) => {
    const [w, h] = ratio.split(":").map(Number) as [number, number];
    return Math.abs(Math.log(w / h) - wanted);
  };
  return REPLICATE_ASPECT_RATIOS.reduce((best, ratio) => (distance(ratio) < distance(best) ? ratio : best));
}
