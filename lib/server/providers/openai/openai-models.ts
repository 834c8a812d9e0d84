import "server-only";

/**
 * The GPT image models offered, and the sizes each takes, as the installed SDK (openai 7.60.0,
 * `resources/images.d.ts`) lists them: its `ImageModel` type, without `gpt-image-1` (shut down on
 * 2026-10-23, the SDK says) and the retired DALL·E models (no streaming, no edits). Dated snapshots
 * are left to `OPENAI_IMAGE_MODEL`. `tests/unit/openai-models.test.ts` reads the SDK's types and
 * fails when they change, so an upgrade is the moment this list is looked at again.
 */
export const OPENAI_IMAGE_MODELS = ["gpt-image-2", "gpt-image-2.5-flare", "gpt-image-2.5-sunburst", "gpt-image-2.6-flare", "gpt-image-2.6-sunburst", "gpt-image-1.5", "gpt-image-1-mini", "chatgpt-image-latest"] as const;

/**
 * Models that take any `WIDTHxHEIGHT` (multiples of 16, aspect 1:3 to 3:1), as `size`'s doc in
 * the SDK names them; every other GPT image model takes the three standard sizes.
 */
const FREE_SIZE_MODELS = ["gpt-image-2", "gpt-image-2-2026-04-21", "gpt-image-2.5-sunburst", "gpt-image-2.5-sunburst-2026-09-08", "gpt-image-2.5-flare", "gpt-image-2.5-flare-2026-09-08"];

/** The sizes every GPT image model accepts. */
const STANDARD_SIZES = [
  { width: 1024, height: 1024 },
  { width: 1536, height: 1024 },
  { width: 1024, height: 1536 },
] as const;

/** Aspect limits for free sizes (1:3 to 3:1). */
const MAX_FREE_ASPECT = 3;

export function acceptsAnySize(model: string): boolean {
  return FREE_SIZE_MODELS.includes(model);
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
