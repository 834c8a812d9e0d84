import "server-only";
import type { Style, Tone } from "./options";
import { parseHex, toHex, mix, darken, rgbToHsl, hslToHex } from "../../colour";

/** Colourways: per tone, or derived from the brand's two colours; styled (retro prints are muted). */
export interface Palette {
  deep: string;
  mid: string;
  accent: string;
  accent2: string;
  light: string;
}

const palette = (deep: string, mid: string, accent: string, accent2: string, light: string): Palette => ({
  deep,
  mid,
  accent,
  accent2,
  light,
});

export const PALETTES: Record<Tone, readonly [Palette, Palette, Palette]> = {
  energetic: [
    palette("#2b0a3d", "#d7263d", "#f46036", "#ffd23f", "#fff1e0"),
    palette("#0b1d51", "#ff006e", "#fb5607", "#ffbe0b", "#fdf0d5"),
    palette("#3a0ca3", "#f72585", "#ff7b00", "#4cc9f0", "#fff3f8"),
  ],
  calm: [
    palette("#14324a", "#3e7c99", "#8fc1c9", "#d8b4a0", "#eef5f3"),
    palette("#22333b", "#5e8c7f", "#a9c5a0", "#e6d5b8", "#f4f1ea"),
    palette("#283c63", "#6c8ebf", "#b8c9e6", "#f2c6b4", "#f6f7fb"),
  ],
  premium: [
    palette("#0e0e12", "#2a2530", "#c9a45c", "#7a5c3e", "#f3e9d2"),
    palette("#0b1a1e", "#1f3b40", "#d4af7a", "#5e7d7e", "#ece4d4"),
    palette("#1a0f1f", "#3d1f3a", "#caa472", "#8c4a5e", "#f1e6dc"),
  ],
  playful: [
    palette("#3d348b", "#7678ed", "#f7b801", "#f35b04", "#fff8e7"),
    palette("#05668d", "#00a896", "#ff6f91", "#ffc75f", "#fef6e4"),
    palette("#6a4c93", "#1982c4", "#8ac926", "#ff595e", "#fff7ec"),
  ],
  trustworthy: [
    palette("#0b2545", "#13315c", "#1f7ae0", "#8da9c4", "#eef4ed"),
    palette("#0d3b66", "#1d6a96", "#3fa7d6", "#a7d3c7", "#f4f8fb"),
    palette("#102a43", "#243b53", "#2bb0a0", "#9fb3c8", "#f0f4f8"),
  ],
};

/**
 * A scene palette from the brand's two colours: the primary's hue for the deep and mid tones, the
 * button colour's hue for the accents, each nudged (analogous hues, other lightness) so the
 * picture sits with the brand without copying its flat colours. `variant` shifts the nudges so the
 * images of one batch differ.
 */
export function brandPalette(primary: string, secondary: string, variant: number): Palette {
  const [ph, ps] = rgbToHsl(parseHex(primary));
  const [sh, ss, sl] = rgbToHsl(parseHex(secondary));
  const turn = [0, 14, -14, 24][variant % 4]!;
  // Each picture of a set also gets its own light (bright, moody, in between), so four
  // pictures in one brand's colours read as four pictures, not one picture tinted four ways.
  const [deepL, midL] = ([[0.13, 0.36], [0.24, 0.5], [0.07, 0.26], [0.18, 0.44]] as const)[variant % 4]!;
  // A grey brand colour has no hue to keep: give it a quiet one instead of a loud default.
  const primarySat = ps < 0.08 ? 0.12 : Math.min(0.75, Math.max(0.3, ps));
  const accentSat = ss < 0.08 ? 0.15 : Math.min(0.9, Math.max(0.45, ss));
  return palette(
    hslToHex(ph + turn * 0.5, primarySat, deepL),
    hslToHex(ph + turn, primarySat * 0.9, midL),
    hslToHex(sh, accentSat, Math.min(0.66, Math.max(0.5, sl))),
    hslToHex(sh + 28 + turn, accentSat * 0.85, 0.58),
    hslToHex(ph, Math.min(primarySat, 0.35), 0.94),
  );
}

// Retro prints are desaturated and warm; pull every colour toward grey, then toward old paper.
function mute(c: string): string {
  const [r, g, b] = parseHex(c);
  const grey = Math.round(0.3 * r + 0.59 * g + 0.11 * b);
  return mix(mix(c, toHex([grey, grey, grey]), 0.3), "#e0b77a", 0.18);
}

export function styledPalette(base: Palette, style: Style): Palette {
  if (style === "retro") {
    return palette(mute(base.deep), mute(base.mid), mute(base.accent), mute(base.accent2), mix(base.light, "#f3e4c6", 0.7));
  }
  if (style === "luxury") {
    return { ...base, deep: darken(base.deep, 0.55), mid: darken(base.mid, 0.45) };
  }
  return base;
}
