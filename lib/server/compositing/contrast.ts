import "server-only";
import type { Rgb } from "../colour";

/** WCAG 2 relative luminance and contrast, on 8-bit sRGB. */

const LINEAR = new Float64Array(256).map((_, i) => {
  const c = i / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
});

export function luminance(r: number, g: number, b: number): number {
  return 0.2126 * LINEAR[r]! + 0.7152 * LINEAR[g]! + 0.0722 * LINEAR[b]!;
}

export function contrastRatio(l1: number, l2: number): number {
  const [hi, lo] = l1 > l2 ? [l1, l2] : [l2, l1];
  return (hi + 0.05) / (lo + 0.05);
}

export { parseHex, toHex, type Rgb } from "../colour";

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The lowest contrast between `text` and any pixel of `rect` in an RGBA buffer, after an
 * optional scrim of colour `scrim` at opacity `alpha` is blended over the pixels (as canvas does,
 * in sRGB space). The worst pixel is what a reader may meet, so that is what must pass.
 */
export function worstContrast(
  pixels: Uint8Array | Uint8ClampedArray,
  imageWidth: number,
  rect: Rect,
  text: Rgb,
  scrim?: { color: Rgb; alpha: number },
): number {
  const textLum = luminance(text[0], text[1], text[2]);
  const x0 = Math.max(0, Math.floor(rect.x));
  const y0 = Math.max(0, Math.floor(rect.y));
  const x1 = Math.min(imageWidth, Math.ceil(rect.x + rect.width));
  const y1 = Math.ceil(rect.y + rect.height);
  const a = scrim?.alpha ?? 0;
  const [sr, sg, sb] = scrim?.color ?? [0, 0, 0];
  let worst = Infinity;
  for (let y = y0; y < y1; y++) {
    let offset = (y * imageWidth + x0) * 4;
    if (offset >= pixels.length) break;
    for (let x = x0; x < x1; x++, offset += 4) {
      const r = Math.round(pixels[offset]! * (1 - a) + sr * a);
      const g = Math.round(pixels[offset + 1]! * (1 - a) + sg * a);
      const b = Math.round(pixels[offset + 2]! * (1 - a) + sb * a);
      const ratio = contrastRatio(textLum, luminance(r, g, b));
      if (ratio < worst) worst = ratio;
    }
  }
  return worst === Infinity ? 21 : worst;
}

export const MIN_CONTRAST = 4.5;
const LIGHT: Rgb = [255, 255, 255];
const DARK: Rgb = [17, 17, 24];

export interface LegibleText {
  color: Rgb;
  /** A scrim drawn behind the text, when the picture alone is too busy or mid-toned. */
  scrim?: { color: Rgb; alpha: number };
  contrast: number;
}

/**
 * Picks light or dark text for a region of the picture, and if neither reaches 4.5:1 adds the
 * lightest scrim that does. Searching the opacity in small steps keeps as much picture as possible.
 */
export function legibleTextOver(pixels: Uint8Array | Uint8ClampedArray, imageWidth: number, rect: Rect): LegibleText {
  const light = worstContrast(pixels, imageWidth, rect, LIGHT);
  const dark = worstContrast(pixels, imageWidth, rect, DARK);
  const [color, contrast] = light >= dark ? [LIGHT, light] : [DARK, dark];
  if (contrast >= MIN_CONTRAST) return { color, contrast };
  const scrimColor: Rgb = color === LIGHT ? [0, 0, 0] : [255, 255, 255];
  for (let alpha = 0.3; alpha <= 0.951; alpha += 0.05) {
    const scrim = { color: scrimColor, alpha: Math.round(alpha * 100) / 100 };
    const withScrim = worstContrast(pixels, imageWidth, rect, color, scrim);
    if (withScrim >= MIN_CONTRAST) return { color, scrim, contrast: withScrim };
  }
  return { color, scrim: { color: scrimColor, alpha: 0.95 }, contrast: worstContrast(pixels, imageWidth, rect, color, { color: scrimColor, alpha: 0.95 }) };
}

/** Light or dark text on a solid colour: one of the two always reaches 4.58:1. */
export function legibleTextOnSolid(background: Rgb): { color: Rgb; contrast: number } {
  const bg = luminance(...background);
  const light = contrastRatio(luminance(...LIGHT), bg);
  const dark = contrastRatio(luminance(...DARK), bg);
  const best = light >= dark ? { color: LIGHT, contrast: light } : { color: DARK, contrast: dark };
  if (best.contrast >= MIN_CONTRAST) return best;
  // Mid-tones need pure black to clear 4.5:1 (white or pure black always reaches at least 4.58:1).
  const black = contrastRatio(0, bg);
  return black > light ? { color: [0, 0, 0], contrast: black } : { color: LIGHT, contrast: light };
}
