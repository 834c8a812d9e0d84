import "server-only";
import { contrastRatio, luminance, type Rgb } from "./contrast";

/**
 * Whether a logo stands out from what is behind it, and what to put behind it when it does not.
 * A logo is often in the brand's own colour, and so is the band or panel it sits on: a navy
 * wordmark on a navy band is invisible. Measured like the copy is, on the pixels, with WCAG's
 * 3:1 for graphics: the logo's typical (median) opaque pixel against the backdrop's.
 */

export const MIN_LOGO_CONTRAST = 3;
const WHITE: Rgb = [255, 255, 255];
const INK: Rgb = [17, 17, 24];

/** The median relative luminance of the pixels of an RGBA buffer, counting only those at least half opaque; undefined when none is. */
export function medianLuminance(pixels: Uint8Array | Uint8ClampedArray): number | undefined {
  const values: number[] = [];
  for (let offset = 0; offset + 3 < pixels.length; offset += 4) {
    if (pixels[offset + 3]! >= 128) values.push(luminance(pixels[offset]!, pixels[offset + 1]!, pixels[offset + 2]!));
  }
  if (values.length === 0) return undefined;
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)];
}

export interface LogoBackdrop {
  /** The logo against what is behind it once the plate (if any) is drawn. */
  contrast: number;
  /** A plate to draw behind the logo, in white or ink, when the backdrop alone is not enough. */
  plate?: Rgb;
}

/** What the logo needs: nothing when it already stands out, else the plate (white or ink) it stands out most on. */
export function logoBackdrop(logo: Uint8Array | Uint8ClampedArray, backdrop: Uint8Array | Uint8ClampedArray): LogoBackdrop {
  const logoLum = medianLuminance(logo);
  const behind = medianLuminance(backdrop);
  if (logoLum === undefined || behind === undefined) return { contrast: 21 };
  const contrast = contrastRatio(logoLum, behind);
  if (contrast >= MIN_LOGO_CONTRAST) return { contrast };
  const onWhite = contrastRatio(logoLum, luminance(...WHITE));
  const onInk = contrastRatio(logoLum, luminance(...INK));
  return onWhite >= onInk ? { contrast: onWhite, plate: WHITE } : { contrast: onInk, plate: INK };
}
