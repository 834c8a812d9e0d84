import "server-only";

/** The sizes every GPT image model accepts; gpt-image-2 also takes any `WxH` in multiples of 16. */
const STANDARD_SIZES = [
  { width: 1024, height: 1024 },
  { width: 1536, height: 1024 },
  { width: 1024, height: 1536 },
] as const;

/** Aspect limits for free sizes (1:3 to 3:1). */
const MAX_FREE_ASPECT = 3;

export function acceptsAnySize(model: string): boolean {
  return /^gpt-image-2(\b|-)/.test(model);
}

/**
 * The `size` to ask for: the ad's own shape where the model takes free sizes (rounded to 16 px),
 * else the standard size closest in shape; the compositor crops to the platform format.
 */
export function openAiSize(model: string, width: number, height: number): string {
  if (acceptsAnySize(model) && Math.max(width, height) <= MAX_FREE_ASPECT * Math.min(width, height)) {
    return `${roundTo16(width)}x${roundTo16(height)}`;
  }
  const aspect = Math.log(width / height);
  const nearest = STANDARD_SIZES.reduce((best, size) => (Math.abs(Math.log(size.width / size.height) - aspect) < Math.abs(Math.log(best.width / best.height) - aspect) ? size : best));
  return `${nearest.width}x${nearest.height}`;
}

function roundTo16(value: number): number {
  return Math.max(16, Math.round(value / 16) * 16);
}
