import "server-only";
import type { FontWeight } from "./fonts";

/**
 * How each line of copy is set on an ad, in pixels at 1080 wide (scaled with the format). The
 * fitter starts at `maxSize` and shrinks, then wraps up to `maxLines`, never cutting a word; the
 * headline that still does not fit takes the whole text area at the `small` setting.
 */
export const TYPOGRAPHY = {
  headline: {
    weight: 800,
    maxSize: 84,
    minSize: 30,
    maxLines: 3,
    lineHeight: 1.12,
    /** The share of the text area the headline may fill before the subline. */
    share: 0.68,
    /** Too long for the above: smaller and on more lines, over the whole text area. */
    small: { maxSize: 30, minSizePx: 12, maxLines: 6 },
  },
  subline: { weight: 400, maxSize: 36, minSize: 18, maxLines: 3, lineHeight: 1.3 },
  cta: { weight: 600, size: 32, minSize: 18, lineHeight: 1.2 },
  /** The space between headline and subline. */
  gap: 16,
} as const satisfies Record<"headline" | "subline" | "cta", { weight: FontWeight; lineHeight: number; [setting: string]: unknown }> & { gap: number };
