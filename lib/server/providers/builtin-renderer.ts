import "server-only";
import { hashString, mulberry32 } from "../seeded-random";
import sharp from "sharp";

// Style presets: a whole look that overrides the per-style treatment. The app mirrors this list.
export const BUILTIN_PRESETS = ["auto", "gradient-mesh", "geometric", "soft-bokeh", "paper-cut"] as const;
export type BuiltinPreset = (typeof BUILTIN_PRESETS)[number];

export interface RenderOptions {
  prompt: string;
  seed: number; // 0..2^31-1
  width: number; // multiple of 64, 512..1536
  height: number;
  style: "photographic" | "minimalist" | "illustration" | "luxury" | "retro" | "3d-render";
  tone: "energetic" | "calm" | "premium" | "playful" | "trustworthy";
  productName: string;
  variant: number; // 0..7, the image's index in the batch
  preset?: BuiltinPreset; // "auto" or undefined: the treatment follows `style`
  /** The brand's colours: the palette is derived from them (harmonious, not identical). */
  brand?: { primary: string; secondary: string };
  /** Where the layout leaves the picture free of copy, as fractions of the canvas: the subject goes there. */
  room?: { x: number; y: number; width: number; height: number };
}

type Style = RenderOptions["style"];
type Tone = RenderOptions["tone"];

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

const PALETTES: Record<Tone, readonly [Palette, Palette, Palette]> = {
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

// ---------- deterministic randomness ----------

type Rng = () => number;

const range = (rng: Rng, min: number, max: number): number => min + rng() * (max - min);
const int = (rng: Rng, min: number, max: number): number => Math.floor(range(rng, min, max + 1));
function pick<T>(rng: Rng, items: readonly [T, ...T[]]): T {
  return items[Math.floor(rng() * items.length)] ?? items[0];
}

// ---------- colour ----------

type Rgb = [number, number, number];

function hexToRgb(hex: string): Rgb {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function rgbToHex(rgb: Rgb): string {
  return `#${rgb
    .map((c) => Math.round(Math.min(255, Math.max(0, c))).toString(16).padStart(2, "0"))
    .join("")}`;
}

function mix(a: string, b: string, t: number): string {
  const ca = hexToRgb(a);
  const cb = hexToRgb(b);
  return rgbToHex([ca[0] + (cb[0] - ca[0]) * t, ca[1] + (cb[1] - ca[1]) * t, ca[2] + (cb[2] - ca[2]) * t]);
}

const lighten = (c: string, t: number): string => mix(c, "#ffffff", t);
const darken = (c: string, t: number): string => mix(c, "#000000", t);

function rgbToHsl([r, g, b]: Rgb): [number, number, number] {
  const [rn, gn, bn] = [r / 255, g / 255, b / 255];
  const max = Math.max(rn, gn, bn);
  const min = Math.min(rn, gn, bn);
  const l = (max + min) / 2;
  if (max === min) return [0, 0, l];
  const d = max - min;
  const s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
  const h = max === rn ? (gn - bn) / d + (gn < bn ? 6 : 0) : max === gn ? (bn - rn) / d + 2 : (rn - gn) / d + 4;
  return [h * 60, s, l];
}

function hslToHex(h: number, s: number, l: number): string {
  const hue = ((h % 360) + 360) % 360;
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const x = c * (1 - Math.abs(((hue / 60) % 2) - 1));
  const m = l - c / 2;
  const [r, g, b] = hue < 60 ? [c, x, 0] : hue < 120 ? [x, c, 0] : hue < 180 ? [0, c, x] : hue < 240 ? [0, x, c] : hue < 300 ? [x, 0, c] : [c, 0, x];
  return rgbToHex([Math.round((r + m) * 255), Math.round((g + m) * 255), Math.round((b + m) * 255)]);
}

/**
 * A scene palette from the brand's two colours: the primary's hue for the deep and mid tones, the
 * button colour's hue for the accents, each nudged (analogous hues, other lightness) so the
 * picture sits with the brand without copying its flat colours. `variant` shifts the nudges so the
 * images of one batch differ.
 */
export function brandPalette(primary: string, secondary: string, variant: number): Palette {
  const [ph, ps] = rgbToHsl(hexToRgb(primary));
  const [sh, ss, sl] = rgbToHsl(hexToRgb(secondary));
  const turn = [0, 14, -14, 24][variant % 4]!;
  // A grey brand colour has no hue to keep: give it a quiet one instead of a loud default.
  const primarySat = ps < 0.08 ? 0.12 : Math.min(0.75, Math.max(0.3, ps));
  const accentSat = ss < 0.08 ? 0.15 : Math.min(0.9, Math.max(0.45, ss));
  return palette(
    hslToHex(ph + turn * 0.5, primarySat, 0.13),
    hslToHex(ph + turn, primarySat * 0.9, 0.36),
    hslToHex(sh, accentSat, Math.min(0.66, Math.max(0.5, sl))),
    hslToHex(sh + 28 + turn, accentSat * 0.85, 0.58),
    hslToHex(ph, Math.min(primarySat, 0.35), 0.94),
  );
}

// Retro prints are desaturated and warm; pull every colour toward grey, then toward old paper.
function mute(c: string): string {
  const [r, g, b] = hexToRgb(c);
  const grey = Math.round(0.3 * r + 0.59 * g + 0.11 * b);
  return mix(mix(c, rgbToHex([grey, grey, grey]), 0.3), "#e0b77a", 0.18);
}

function styledPalette(base: Palette, style: Style): Palette {
  if (style === "retro") {
    return palette(mute(base.deep), mute(base.mid), mute(base.accent), mute(base.accent2), mix(base.light, "#f3e4c6", 0.7));
  }
  if (style === "luxury") {
    return { ...base, deep: darken(base.deep, 0.55), mid: darken(base.mid, 0.45) };
  }
  return base;
}

// ---------- svg scene ----------

// Rounded numbers keep the markup short, which speeds up librsvg parsing.
const f = (n: number): string => String(Math.round(n * 10) / 10);

type Stop = readonly [offset: number, color: string, opacity?: number];

interface Scene {
  w: number;
  h: number;
  s: number; // short side: shapes scale with it so tall and wide formats stay balanced
  rng: Rng;
  pal: Palette;
  copy: "top" | "bottom";
  fx: number;
  fy: number;
  defs: string[];
  soft: string[]; // low-frequency layer, rasterised at 1/softScale and upscaled
  softScale: number; // 4 by default; scenes whose soft layer is pure gradient can go coarser
  body: string[]; // crisp layer drawn over it at full resolution
  ids: number;
  cache: Map<string, string>;
}

function stopsMarkup(stops: readonly Stop[]): string {
  return stops
    .map(([o, c, a]) => `<stop offset="${f(o * 100)}%" stop-color="${c}"${a === undefined ? "" : ` stop-opacity="${Number(a.toFixed(3))}"`}/>`)
    .join("");
}

function linear(sc: Scene, x1: number, y1: number, x2: number, y2: number, stops: readonly Stop[]): string {
  const id = `g${sc.ids++}`;
  sc.defs.push(
    `<linearGradient id="${id}" gradientUnits="userSpaceOnUse" x1="${f(x1)}" y1="${f(y1)}" x2="${f(x2)}" y2="${f(y2)}">${stopsMarkup(stops)}</linearGradient>`,
  );
  return `url(#${id})`;
}

function radial(sc: Scene, cx: number, cy: number, r: number, stops: readonly Stop[]): string {
  const id = `g${sc.ids++}`;
  sc.defs.push(
    `<radialGradient id="${id}" gradientUnits="userSpaceOnUse" cx="${f(cx)}" cy="${f(cy)}" r="${f(r)}">${stopsMarkup(stops)}</radialGradient>`,
  );
  return `url(#${id})`;
}

// Bounding-box gradients can be shared by many shapes, so cache them by recipe.
function boxGradient(sc: Scene, key: string, markup: (id: string) => string): string {
  const hit = sc.cache.get(key);
  if (hit) return hit;
  const id = `g${sc.ids++}`;
  sc.defs.push(markup(id));
  const ref = `url(#${id})`;
  sc.cache.set(key, ref);
  return ref;
}

function softDot(sc: Scene, color: string, opacity: number): string {
  return boxGradient(
    sc,
    `dot${color}${opacity}`,
    (id) => `<radialGradient id="${id}">${stopsMarkup([[0, color, opacity], [0.55, color, opacity * 0.45], [1, color, 0]])}</radialGradient>`,
  );
}

const add = (sc: Scene, markup: string): void => {
  sc.body.push(markup);
};

// librsvg fills radial gradients at ~20 ms per megapixel, so big soft glows go here instead.
const addSoft = (sc: Scene, markup: string): void => {
  sc.soft.push(markup);
};

const rectAll = (sc: Scene, fill: string, layer: "soft" | "crisp" = "crisp"): void =>
  (layer === "soft" ? addSoft : add)(sc, `<rect width="${sc.w}" height="${sc.h}" fill="${fill}"/>`);

function glow(sc: Scene, cx: number, cy: number, r: number, color: string, opacity: number): void {
  const fill = radial(sc, cx, cy, r, [[0, color, opacity], [0.45, color, opacity * 0.45], [1, color, 0]]);
  addSoft(sc, `<circle cx="${f(cx)}" cy="${f(cy)}" r="${f(r)}" fill="${fill}"/>`);
}

// Fades the copy third toward a flat colour so headline text stays legible whatever is behind it.
function copyScrim(sc: Scene, color: string, opacity: number): void {
  const { w, h, copy } = sc;
  const band = h * 0.42;
  const y = copy === "top" ? 0 : h - band;
  const stops: readonly Stop[] =
    copy === "top" ? [[0, color, opacity], [1, color, 0]] : [[0, color, 0], [1, color, opacity]];
  addSoft(sc, `<rect y="${f(y)}" width="${w}" height="${f(band)}" fill="${linear(sc, 0, y, 0, y + band, stops)}"/>`);
}

// Lowest y a tall shape may reach without entering a top copy band.
const copyLimit = (sc: Scene): number => (sc.copy === "top" ? sc.h * 0.36 : sc.s * 0.06);

function vignette(sc: Scene, strength: number): void {
  const { w, h } = sc;
  const r = Math.hypot(w, h) / 2;
  rectAll(sc, radial(sc, w / 2, h / 2, r, [[0.5, "#000000", 0], [1, "#000000", strength]]), "soft");
}

// ---------- styles ----------

function photographic(sc: Scene): void {
  const { w, h, s, rng, pal, fx, fy } = sc;
  rectAll(sc, linear(sc, 0, 0, 0, h, [[0, mix(pal.deep, pal.mid, 0.55)], [1, darken(pal.deep, 0.2)]]), "soft");

  // Studio light: one key glow behind the product plus a few coloured fills.
  glow(sc, fx, fy - s * 0.08, s * range(rng, 0.55, 0.75), mix(pal.accent, pal.light, 0.35), 0.8);
  const fills = int(rng, 2, 3);
  for (let i = 0; i < fills; i++) {
    const color = pick(rng, [pal.accent, pal.accent2, pal.mid] as const);
    glow(sc, range(rng, 0, w), range(rng, 0, h), s * range(rng, 0.35, 0.7), color, range(rng, 0.3, 0.5));
  }

  // Light beam from an upper corner gives the "photographed" feel without any filter.
  const fromLeft = rng() < 0.5;
  const bx = fromLeft ? -w * 0.1 : w * 1.1;
  const spread = s * range(rng, 0.12, 0.22);
  const beam = linear(sc, bx, -h * 0.1, fx, fy, [[0, pal.light, 0.28], [1, pal.light, 0]]);
  addSoft(sc, `<path d="M${f(bx)} ${f(-h * 0.1)}L${f(fx - spread)} ${f(fy + s * 0.1)}L${f(fx + spread)} ${f(fy + s * 0.1)}Z" fill="${beam}"/>`);

  // Bokeh: one shared soft-dot gradient for all of them keeps the defs small.
  const bokeh = int(rng, 4, 9);
  const bokehFill = softDot(sc, pal.light, 0.22);
  for (let i = 0; i < bokeh; i++) {
    addSoft(sc, `<circle cx="${f(range(rng, 0, w))}" cy="${f(range(rng, 0, h))}" r="${f(s * range(rng, 0.02, 0.07))}" fill="${bokehFill}"/>`);
  }

  // Plinth + floor: a stage where a product can be composited later.
  const rx = s * range(rng, 0.17, 0.24);
  const top = fy + s * 0.12;
  const height = s * range(rng, 0.09, 0.15);
  const tiers = rng() < 0.4 ? 2 : 1;
  const baseHeight = tiers === 2 ? height * 0.6 : 0;
  const bottom = top + height + baseHeight;
  const horizon = top + (height + baseHeight) * 0.5;
  addSoft(sc, `<rect y="${f(horizon)}" width="${w}" height="${f(h - horizon)}" fill="${linear(sc, 0, horizon, 0, h, [[0, darken(pal.mid, 0.35), 0.9], [1, darken(pal.deep, 0.45), 1]])}"/>`);
  add(sc, `<rect y="${f(horizon - 1)}" width="${w}" height="${f(Math.max(2, s * 0.004))}" fill="${linear(sc, 0, 0, w, 0, [[0, pal.light, 0], [0.5, pal.light, 0.35], [1, pal.light, 0]])}"/>`);

  // Optional backdrop set piece, standing on the horizon behind the plinth.
  const backdrop = int(rng, 0, 2);
  const bw = rx * range(rng, 1.3, 1.7);
  const backFill = linear(sc, 0, horizon - bw * 2.4, 0, horizon, [[0, mix(pal.mid, pal.light, 0.3), 0.85], [1, darken(pal.mid, 0.35), 0.85]]);
  if (backdrop === 1) {
    const archTop = Math.max(copyLimit(sc), horizon - bw * 2.4);
    add(sc, `<path d="M${f(fx - bw)} ${f(horizon)}V${f(archTop + bw)}A${f(bw)} ${f(bw)} 0 0 1 ${f(fx + bw)} ${f(archTop + bw)}V${f(horizon)}Z" fill="${backFill}"/>`);
  } else if (backdrop === 2) {
    const br = bw * 1.1;
    add(sc, `<circle cx="${f(fx)}" cy="${f(horizon - br * 0.75)}" r="${f(br)}" fill="${backFill}"/>`);
  }

  addSoft(sc, `<ellipse cx="${f(fx)}" cy="${f(bottom)}" rx="${f(rx * 1.9)}" ry="${f(rx * 0.45)}" fill="${softDot(sc, "#000000", 0.55)}"/>`);
  if (tiers === 2) cylinder(sc, fx, top + height, rx * 1.3, baseHeight, darken(pal.mid, 0.15));
  cylinder(sc, fx, top, rx, height, pal.mid);

  copyScrim(sc, darken(pal.deep, 0.3), 0.45);
  vignette(sc, 0.55);
}

function cylinder(sc: Scene, cx: number, top: number, rx: number, height: number, color: string): void {
  const { s, pal } = sc;
  const ry = rx * 0.22;
  // Horizontal banding fakes a lit curved surface: dark edges, a highlight left of centre.
  const body = linear(sc, cx - rx, 0, cx + rx, 0, [
    [0, darken(color, 0.5)],
    [0.35, mix(color, pal.light, 0.35)],
    [0.6, color],
    [1, darken(color, 0.65)],
  ]);
  add(sc, `<ellipse cx="${f(cx)}" cy="${f(top + height)}" rx="${f(rx)}" ry="${f(ry)}" fill="${body}"/>`);
  add(sc, `<rect x="${f(cx - rx)}" y="${f(top)}" width="${f(rx * 2)}" height="${f(height)}" fill="${body}"/>`);
  const cap = radial(sc, cx - rx * 0.2, top - ry * 0.3, rx * 1.2, [[0, mix(color, pal.light, 0.6)], [1, mix(color, pal.light, 0.2)]]);
  add(sc, `<ellipse cx="${f(cx)}" cy="${f(top)}" rx="${f(rx)}" ry="${f(ry)}" fill="${cap}" stroke="${pal.light}" stroke-opacity="0.5" stroke-width="${f(Math.max(1.5, s * 0.002))}"/>`);
}

function minimalist(sc: Scene): void {
  const { w, h, s, rng, pal, fx, fy, copy } = sc;
  const bg = mix(pal.light, rng() < 0.5 ? pal.accent2 : pal.mid, range(rng, 0.08, 0.18));
  rectAll(sc, bg);

  // With copy at the bottom the floor block itself becomes the quiet copy panel.
  const ground = copy === "bottom" ? h * range(rng, 0.6, 0.66) : Math.min(h * 0.9, fy + s * range(rng, 0.16, 0.22));
  const floor = mix(bg, pal.mid, range(rng, 0.18, 0.3));
  add(sc, `<rect y="${f(ground)}" width="${w}" height="${f(h - ground)}" fill="${floor}"/>`);

  const main = mix(pal.mid, pal.light, range(rng, 0.1, 0.35));
  const kind = int(rng, 0, 2);
  const size = s * range(rng, 0.2, 0.28);
  // Long flat shadow to one side: depth without gradients, in keeping with the style.
  const side = rng() < 0.5 ? -1 : 1;
  add(sc, `<path d="M${f(fx - size)} ${f(ground)}L${f(fx + size)} ${f(ground)}L${f(fx + size + side * size * 1.6)} ${f(Math.min(h, ground + size * 0.5))}L${f(fx - size + side * size * 1.6)} ${f(Math.min(h, ground + size * 0.5))}Z" fill="#000000" fill-opacity="0.07"/>`);
  const tall = Math.max(size * 1.2, Math.min(ground - h * 0.36, size * 2.4));
  if (kind === 0) {
    // Arch standing on the floor.
    add(sc, `<path d="M${f(fx - size)} ${f(ground)}V${f(ground - tall + size)}A${f(size)} ${f(size)} 0 0 1 ${f(fx + size)} ${f(ground - tall + size)}V${f(ground)}Z" fill="${main}"/>`);
  } else if (kind === 1) {
    add(sc, `<circle cx="${f(fx)}" cy="${f(ground - size)}" r="${f(size)}" fill="${main}"/>`);
  } else {
    const half = size * 0.55;
    add(sc, `<rect x="${f(fx - half)}" y="${f(ground - tall)}" width="${f(half * 2)}" height="${f(tall)}" rx="${f(half)}" fill="${main}"/>`);
  }

  // The single accent: a small disc, placed either as a "sun" or resting in front.
  const r = s * range(rng, 0.045, 0.08);
  const floating = rng() < 0.5;
  const ax = fx + side * -1 * size * range(rng, 0.9, 1.5);
  const ay = floating ? Math.max(h * 0.38 + r, ground - tall - r * range(rng, 0.5, 2)) : ground - r;
  add(sc, `<circle cx="${f(ax)}" cy="${f(ay)}" r="${f(r)}" fill="${pal.accent}"/>`);
  const lineY = ground + (h - ground) * 0.5;
  if (copy === "top" && lineY < h - s * 0.04) {
    add(sc, `<rect x="${f(fx - size * 1.4)}" y="${f(lineY)}" width="${f(size * 0.7)}" height="${f(Math.max(2, s * 0.004))}" fill="${pal.deep}" fill-opacity="0.5"/>`);
  }
}

function wavePath(w: number, h: number, base: number, amp: number, waves: number, phase: number): string {
  const seg = w / (waves * 2);
  let d = `M0 ${f(h)}L0 ${f(base + Math.sin(phase) * amp)}`;
  for (let i = 0; i < waves * 2; i++) {
    const x0 = i * seg;
    const dir = i % 2 === 0 ? -1 : 1;
    const y1 = base + Math.sin(phase + (i + 1) * 0.9) * amp * 0.4;
    d += `C${f(x0 + seg * 0.35)} ${f(base + dir * amp)} ${f(x0 + seg * 0.65)} ${f(base + dir * amp)} ${f(x0 + seg)} ${f(y1)}`;
  }
  return `${d}L${f(w)} ${f(h)}Z`;
}

function illustration(sc: Scene): void {
  const { w, h, s, rng, pal, fx, fy, copy } = sc;
  const bg = mix(pal.light, pal.accent2, range(rng, 0.12, 0.25));
  rectAll(sc, bg);
  const stroke = Math.max(4, s * 0.016);

  const r = s * range(rng, 0.17, 0.24);
  const sunY = copy === "top" ? fy - s * 0.02 : fy;
  add(sc, `<circle cx="${f(fx)}" cy="${f(sunY)}" r="${f(r)}" fill="${pal.accent2}"/>`);
  // Offset outline ring: the hand-printed "misregistration" look of flat illustration.
  const off = r * 0.12;
  add(sc, `<circle cx="${f(fx + off)}" cy="${f(sunY - off)}" r="${f(r * 1.18)}" fill="none" stroke="${pal.deep}" stroke-width="${f(stroke)}"/>`);

  const start = copy === "top" ? h * range(rng, 0.62, 0.68) : h * range(rng, 0.48, 0.52);
  const end = copy === "top" ? h * 0.86 : h * 0.66;
  const layers = int(rng, 3, 4);
  const colors = [mix(pal.accent, pal.light, 0.25), pal.mid, pal.accent, pal.deep] as const;
  for (let i = 0; i < layers; i++) {
    const base = start + ((end - start) * i) / (layers - 1);
    const color = colors[(i + (layers === 3 ? 1 : 0)) % colors.length] ?? pal.mid;
    add(sc, `<path d="${wavePath(w, h, base, s * range(rng, 0.025, 0.055), int(rng, 1, 3), range(rng, 0, 6.28))}" fill="${color}"/>`);
  }

  // Thick zig-zag on the side away from the sun.
  const zx = fx < w / 2 ? range(rng, 0.62, 0.78) * w : range(rng, 0.1, 0.25) * w;
  const zy = copy === "top" ? h * range(rng, 0.4, 0.5) : h * range(rng, 0.12, 0.3);
  const step = s * 0.04;
  let zig = `M${f(zx)} ${f(zy)}`;
  for (let i = 1; i <= 5; i++) zig += `L${f(zx + i * step)} ${f(zy + (i % 2 === 0 ? 0 : -step))}`;
  add(sc, `<path d="${zig}" fill="none" stroke="${pal.accent}" stroke-width="${f(stroke)}" stroke-linecap="round" stroke-linejoin="round"/>`);

  // Dot grid near the sun.
  const gx = fx + (fx < w / 2 ? 1 : -1) * r * 1.5 - s * 0.06;
  const gy = sunY + r * 0.4;
  const dots: string[] = [];
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      dots.push(`<circle cx="${f(gx + i * s * 0.035)}" cy="${f(gy + j * s * 0.035)}" r="${f(s * 0.007)}"/>`);
    }
  }
  add(sc, `<g fill="${pal.deep}" fill-opacity="0.55">${dots.join("")}</g>`);

  // Confetti kept out of the copy third.
  const bandTop = copy === "top" ? h * 0.36 : 0;
  const bandBottom = copy === "top" ? start : h * 0.6;
  const confetti = int(rng, 6, 11);
  for (let i = 0; i < confetti; i++) {
    const cx = range(rng, w * 0.05, w * 0.95);
    const cy = range(rng, bandTop + s * 0.03, bandBottom - s * 0.03);
    const color = pick(rng, [pal.accent, pal.mid, pal.deep, pal.accent2] as const);
    const size = s * range(rng, 0.012, 0.026);
    const shape = int(rng, 0, 2);
    if (shape === 0) add(sc, `<circle cx="${f(cx)}" cy="${f(cy)}" r="${f(size)}" fill="${color}"/>`);
    else if (shape === 1)
      add(sc, `<path d="M${f(cx - size)} ${f(cy)}H${f(cx + size)}M${f(cx)} ${f(cy - size)}V${f(cy + size)}" stroke="${color}" stroke-width="${f(stroke * 0.6)}" stroke-linecap="round"/>`);
    else
      add(sc, `<path d="M${f(cx)} ${f(cy - size)}L${f(cx + size)} ${f(cy + size)}L${f(cx - size)} ${f(cy + size)}Z" fill="${color}" transform="rotate(${f(range(rng, 0, 120))} ${f(cx)} ${f(cy)})"/>`);
  }
}

function luxury(sc: Scene): void {
  const { w, h, s, rng, pal, fx, fy } = sc;
  rectAll(sc, radial(sc, fx, fy, Math.hypot(w, h) * 0.7, [[0, mix(pal.mid, pal.accent, 0.12)], [0.55, pal.deep], [1, darken(pal.deep, 0.6)]]), "soft");
  glow(sc, fx, fy, s * 0.5, pal.accent, 0.22);

  // Diagonal satin sheen.
  const angle = range(rng, -35, 35);
  const sheen = linear(sc, -w * 0.5, 0, w * 1.5, 0, [[0.35, "#ffffff", 0], [0.5, "#ffffff", 0.08], [0.65, "#ffffff", 0]]);
  addSoft(sc, `<rect x="${f(-w * 0.5)}" y="${f(-h * 0.5)}" width="${f(w * 2)}" height="${f(h * 2)}" fill="${sheen}" transform="rotate(${f(angle)} ${f(w / 2)} ${f(h / 2)})"/>`);

  // Gold is a multi-stop gradient: flat yellow reads as cheap, banded highlights read as metal.
  const gold = linear(sc, 0, 0, w, h, [
    [0, mix("#8a6a2f", pal.accent, 0.3)],
    [0.3, mix("#f1d48a", pal.accent, 0.25)],
    [0.5, mix("#a8803a", pal.accent, 0.3)],
    [0.72, mix("#f8e7b0", pal.accent, 0.2)],
    [1, mix("#8f6b2c", pal.accent, 0.3)],
  ]);
  const hair = Math.max(1.2, s * 0.0018);
  const m = s * 0.045;
  add(sc, `<rect x="${f(m)}" y="${f(m)}" width="${f(w - 2 * m)}" height="${f(h - 2 * m)}" fill="none" stroke="${gold}" stroke-width="${f(hair * 1.4)}"/>`);
  const m2 = m + s * 0.014;
  add(sc, `<rect x="${f(m2)}" y="${f(m2)}" width="${f(w - 2 * m2)}" height="${f(h - 2 * m2)}" fill="none" stroke="${gold}" stroke-opacity="0.5" stroke-width="${f(hair)}"/>`);

  const motif = int(rng, 0, 2);
  const lines: string[] = [];
  // Motifs must stay inside the inner frame, however close to a side the focus sits.
  const room = Math.min(fx, w - fx) - m2 - s * 0.03;
  let motifTop = fy - s * 0.15;
  if (motif === 0) {
    const rings = int(rng, 3, 5);
    const r0 = Math.min(s * range(rng, 0.12, 0.16), room * 0.5);
    const step = Math.min(s * 0.045, (room - r0) / (rings - 1));
    for (let i = 0; i < rings; i++) {
      lines.push(`<circle cx="${f(fx)}" cy="${f(fy)}" r="${f(r0 + i * step)}" stroke-opacity="${(1 - i * 0.17).toFixed(2)}"/>`);
    }
    motifTop = fy - r0 - (rings - 1) * step;
  } else if (motif === 1) {
    // Art-deco fan rising from a point under the focus.
    const rays = int(rng, 9, 15);
    const oy = fy + s * 0.16;
    const len = Math.min(s * range(rng, 0.3, 0.4), room, oy - copyLimit(sc));
    motifTop = oy - len;
    for (let i = 0; i < rays; i++) {
      const a = Math.PI + (Math.PI * (i + 0.5)) / rays;
      lines.push(`<path d="M${f(fx)} ${f(oy)}L${f(fx + Math.cos(a) * len)} ${f(oy + Math.sin(a) * len)}" stroke-opacity="0.7"/>`);
    }
    lines.push(`<path d="M${f(fx - len)} ${f(oy)}A${f(len)} ${f(len)} 0 0 1 ${f(fx + len)} ${f(oy)}"/>`);
  } else {
    // Arch outline, doubled.
    for (const k of [0, 1]) {
      const aw = s * (0.17 + k * 0.03);
      const base = fy + s * (0.2 + k * 0.02);
      const top = fy - s * (0.12 + k * 0.03);
      lines.push(`<path d="M${f(fx - aw)} ${f(base)}V${f(top + aw)}A${f(aw)} ${f(aw)} 0 0 1 ${f(fx + aw)} ${f(top + aw)}V${f(base)}" stroke-opacity="${k === 0 ? 1 : 0.5}"/>`);
    }
  }
  const diagonals = int(rng, 1, 3);
  for (let i = 0; i < diagonals; i++) {
    const x = range(rng, -0.2, 0.8) * w;
    lines.push(`<path d="M${f(x)} ${f(h)}L${f(x + w * 0.6)} 0" stroke-opacity="0.25"/>`);
  }
  add(sc, `<g fill="none" stroke="${gold}" stroke-width="${f(hair)}">${lines.join("")}</g>`);

  // Gold platform line and a small jewel-like diamond at the focus.
  const py = fy + s * 0.2;
  const prx = s * 0.22;
  const pry = s * 0.03;
  addSoft(sc, `<ellipse cx="${f(fx)}" cy="${f(py + pry)}" rx="${f(prx * 1.6)}" ry="${f(pry * 3)}" fill="${softDot(sc, pal.accent, 0.35)}"/>`);
  const top = linear(sc, 0, py - pry, 0, py + pry, [[0, mix(pal.mid, pal.accent, 0.35)], [1, darken(pal.mid, 0.3)]]);
  add(sc, `<ellipse cx="${f(fx)}" cy="${f(py)}" rx="${f(prx)}" ry="${f(pry)}" fill="${top}" stroke="${gold}" stroke-width="${f(hair * 1.5)}"/>`);
  const d = s * 0.018;
  const dy = motifTop - s * 0.04;
  add(sc, `<path d="M${f(fx)} ${f(dy - d)}L${f(fx + d)} ${f(dy)}L${f(fx)} ${f(dy + d)}L${f(fx - d)} ${f(dy)}Z" fill="${gold}"/>`);

  copyScrim(sc, darken(pal.deep, 0.5), 0.35);
}

function retro(sc: Scene): void {
  const { w, h, s, rng, pal, fx, fy, copy } = sc;
  const cream = pal.light;
  rectAll(sc, cream);

  // The copy third stays flat cream; rays live only in the rest, separated by a stripe band.
  const edge = copy === "top" ? h * 0.38 : h * 0.62;
  const clipId = `c${sc.ids++}`;
  const clipY = copy === "top" ? edge : 0;
  const clipH = copy === "top" ? h - edge : edge;
  sc.defs.push(`<clipPath id="${clipId}"><rect y="${f(clipY)}" width="${w}" height="${f(clipH)}"/></clipPath>`);

  const cy = copy === "top" ? fy + s * 0.05 : edge;
  const rays = int(rng, 14, 22);
  const rot = range(rng, 0, Math.PI);
  const len = Math.hypot(w, h) * 1.1;
  const rayColor = mix(cream, pal.accent2, range(rng, 0.35, 0.5));
  let d = "";
  for (let i = 0; i < rays; i++) {
    const a0 = rot + (i * 2 * Math.PI) / rays;
    const a1 = a0 + Math.PI / rays;
    d += `M${f(fx)} ${f(cy)}L${f(fx + Math.cos(a0) * len)} ${f(cy + Math.sin(a0) * len)}L${f(fx + Math.cos(a1) * len)} ${f(cy + Math.sin(a1) * len)}Z`;
  }
  add(sc, `<g clip-path="url(#${clipId})"><rect width="${w}" height="${h}" fill="${mix(cream, pal.accent2, 0.12)}"/><path d="${d}" fill="${rayColor}"/></g>`);

  // Classic sliced retro sun: clip to the top half plus progressively thinner bars.
  const r = s * range(rng, 0.18, 0.25);
  const sy = copy === "top" ? fy - s * 0.02 : edge - r * 0.55;
  const sunClip = `c${sc.ids++}`;
  let bars = `<rect x="${f(fx - r)}" y="${f(sy - r)}" width="${f(r * 2)}" height="${f(r)}"/>`;
  let y = sy;
  for (let i = 0; i < 5; i++) {
    const gap = r * (0.03 + i * 0.025);
    const bar = r * (0.16 - i * 0.02);
    y += gap;
    bars += `<rect x="${f(fx - r)}" y="${f(y)}" width="${f(r * 2)}" height="${f(bar)}"/>`;
    y += bar;
  }
  sc.defs.push(`<clipPath id="${sunClip}">${bars}</clipPath>`);
  const sunFill = linear(sc, 0, sy - r, 0, sy + r, [[0, pal.accent2], [1, pal.accent]]);
  add(sc, `<circle cx="${f(fx)}" cy="${f(sy)}" r="${f(r)}" fill="${sunFill}" clip-path="url(#${sunClip})"/>`);

  // Stripe band: four muted colours, the 70s signature.
  const stripeColors = [pal.accent2, pal.accent, pal.mid, pal.deep] as const;
  const thick = s * range(rng, 0.018, 0.026);
  const gapS = thick * 0.45;
  const total = stripeColors.length * (thick + gapS);
  let sy0 = copy === "top" ? edge - total : edge;
  for (const color of stripeColors) {
    add(sc, `<rect y="${f(sy0)}" width="${w}" height="${f(thick)}" fill="${color}"/>`);
    sy0 += thick + gapS;
  }

  // A few hills in the focus area when it sits above the stripes.
  if (copy === "bottom" && rng() < 0.7) {
    const hw = s * range(rng, 0.3, 0.45);
    const hx = fx + (rng() < 0.5 ? -1 : 1) * r * 1.6;
    add(sc, `<path d="M${f(hx - hw)} ${f(edge)}Q${f(hx)} ${f(edge - hw * 0.6)} ${f(hx + hw)} ${f(edge)}Z" fill="${pal.mid}"/>`);
  }
}

function render3d(sc: Scene): void {
  const { w, h, s, rng, pal, fx, fy, copy } = sc;
  rectAll(sc, linear(sc, 0, 0, 0, h, [[0, mix(pal.light, pal.mid, 0.2)], [1, mix(pal.light, pal.mid, 0.45)]]), "soft");
  const ground = Math.min(h * 0.92, fy + s * 0.18);
  addSoft(sc, `<rect y="${f(ground - s * 0.1)}" width="${w}" height="${f(h - ground + s * 0.1)}" fill="${linear(sc, 0, ground - s * 0.1, 0, h, [[0, pal.mid, 0], [0.35, pal.mid, 0.25], [1, darken(pal.mid, 0.2), 0.55]])}"/>`);
  glow(sc, fx, fy - s * 0.1, s * 0.55, pal.light, 0.7);

  const shadow = softDot(sc, darken(pal.deep, 0.4), 0.45);
  const sphereFill = (color: string): string =>
    boxGradient(
      sc,
      `sphere${color}`,
      (id) =>
        `<radialGradient id="${id}" cx="0.5" cy="0.5" r="0.5" fx="0.34" fy="0.28">${stopsMarkup([
          [0, lighten(color, 0.75)],
          [0.22, lighten(color, 0.25)],
          [0.7, color],
          [1, darken(color, 0.4)],
        ])}</radialGradient>`,
    );
  const pillFill = (color: string): string =>
    boxGradient(
      sc,
      `pill${color}`,
      (id) =>
        `<linearGradient id="${id}" x1="0" y1="0" x2="0" y2="1">${stopsMarkup([
          [0, lighten(color, 0.5)],
          [0.3, color],
          [0.8, darken(color, 0.25)],
          [1, darken(color, 0.45)],
        ])}</linearGradient>`,
    );

  interface Item {
    y: number;
    markup: string;
  }
  const items: Item[] = [];
  const colors = [pal.accent, pal.accent2, pal.mid, pal.deep] as const;
  const sphere = (cx: number, cy: number, r: number, color: string): void => {
    items.push({
      y: cy + r,
      markup:
        `<ellipse cx="${f(cx + r * 0.15)}" cy="${f(cy + r * 0.95)}" rx="${f(r * 1.25)}" ry="${f(r * 0.3)}" fill="${shadow}"/>` +
        `<circle cx="${f(cx)}" cy="${f(cy)}" r="${f(r)}" fill="${sphereFill(color)}"/>`,
    });
  };

  const mainR = s * range(rng, 0.14, 0.19);
  sphere(fx, ground - mainR, mainR, pick(rng, [pal.accent, pal.accent2] as const));

  // Small objects sit away from the copy third so that band stays clean.
  const minY = copy === "top" ? h * 0.4 : s * 0.08;
  const maxY = copy === "top" ? h - s * 0.06 : h * 0.62;
  const margin = s * 0.05;
  const placed: { x: number; y: number; r: number }[] = [{ x: fx, y: ground - mainR, r: mainR }];
  const extra = int(rng, 3, 5);
  for (let i = 0; i < extra; i++) {
    const pill = i % 3 === 1;
    const len = s * range(rng, 0.16, 0.24);
    const thick = len * 0.34;
    const r = pill ? len / 2 : s * range(rng, 0.035, 0.09);
    // Rejection-sample a free spot: overlapping or edge-clipped objects read as clutter.
    let spot: { x: number; y: number } | undefined;
    for (let attempt = 0; attempt < 30 && !spot; attempt++) {
      const a = range(rng, 0, Math.PI * 2);
      const dist = mainR + r + s * range(rng, 0.02, 0.3);
      const x = fx + Math.cos(a) * dist * 1.4;
      const y = ground - r + Math.sin(a) * dist * 0.5;
      const inside = x - r > margin && x + r < w - margin && y - r > minY && y + r < maxY;
      if (inside && placed.every((p) => Math.hypot(p.x - x, p.y - y) > (p.r + r) * 1.08)) spot = { x, y };
    }
    if (!spot) continue;
    const { x: cx, y: cy } = spot;
    placed.push({ x: cx, y: cy, r });
    const color = colors[i % colors.length] ?? pal.mid;
    if (pill) {
      const angle = range(rng, -50, 50);
      const rad = (angle * Math.PI) / 180;
      const dropY = Math.abs(Math.sin(rad)) * len * 0.5 + Math.abs(Math.cos(rad)) * thick * 0.5;
      const spanX = Math.abs(Math.cos(rad)) * len * 0.5 + thick * 0.5;
      items.push({
        y: cy + dropY,
        markup:
          `<ellipse cx="${f(cx)}" cy="${f(cy + dropY * 0.92)}" rx="${f(spanX * 1.1)}" ry="${f(thick * 0.28)}" fill="${shadow}"/>` +
          `<g transform="rotate(${f(angle)} ${f(cx)} ${f(cy)})"><rect x="${f(cx - len / 2)}" y="${f(cy - thick / 2)}" width="${f(len)}" height="${f(thick)}" rx="${f(thick / 2)}" fill="${pillFill(color)}"/>` +
          `<rect x="${f(cx - len * 0.36)}" y="${f(cy - thick * 0.36)}" width="${f(len * 0.6)}" height="${f(thick * 0.14)}" rx="${f(thick * 0.07)}" fill="#ffffff" fill-opacity="0.45"/></g>`,
      });
    } else {
      sphere(cx, cy, r, color);
    }
  }
  // Painter's order: lower (nearer) objects drawn last.
  items.sort((a, b) => a.y - b.y);
  for (const item of items) add(sc, item.markup);

  copyScrim(sc, pal.light, 0.35);
}

// ---------- presets ----------

type Point = readonly [x: number, y: number];

// Catmull-Rom spline through the points as cubic Béziers: smooth curves from a few samples.
function smoothThrough(points: readonly Point[]): string {
  const first = points[0];
  if (!first) return "";
  let d = `M${f(first[0])} ${f(first[1])}`;
  for (let i = 0; i + 1 < points.length; i++) {
    const p1 = points[i] ?? first;
    const p0 = points[i - 1] ?? p1;
    const p2 = points[i + 1] ?? p1;
    const p3 = points[i + 2] ?? p2;
    d += `C${f(p1[0] + (p2[0] - p0[0]) / 6)} ${f(p1[1] + (p2[1] - p0[1]) / 6)} ${f(p2[0] - (p3[0] - p1[0]) / 6)} ${f(p2[1] - (p3[1] - p1[1]) / 6)} ${f(p2[0])} ${f(p2[1])}`;
  }
  return d;
}

function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const a = out[i];
    const b = out[j];
    if (a === undefined || b === undefined) continue;
    out[i] = b;
    out[j] = a;
  }
  return out;
}

const luma = (c: string): number => {
  const [r, g, b] = hexToRgb(c);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};

// Overlapping, rotated elliptical blobs, all on the eighth-size soft layer: a mesh gradient without
// mesh support. Smoothstep-like stops keep blob edges invisible.
function gradientMesh(sc: Scene): void {
  const { w, h, s, rng, pal, copy, fx, fy } = sc;
  // Nothing on the soft layer is smaller than a third of the image: 1/64 of the pixels is plenty.
  sc.softScale = 8;
  const base = mix(pal.mid, pal.deep, range(rng, 0.15, 0.4));
  const corner = rng() < 0.5;
  rectAll(sc, linear(sc, corner ? 0 : w, 0, corner ? w : 0, h, [[0, mix(base, pal.accent2, 0.25)], [1, base]]), "soft");

  const blobFill = (color: string): string =>
    boxGradient(
      sc,
      `mesh${color}`,
      (id) =>
        `<radialGradient id="${id}">${stopsMarkup([[0, color, 0.92], [0.25, color, 0.78], [0.5, color, 0.45], [0.75, color, 0.14], [1, color, 0]])}</radialGradient>`,
    );
  // Blobs scale with the long side so tall and wide formats blend as smoothly as squares.
  const reach = Math.max(w, h);
  const blob = (cx: number, cy: number, r: number, color: string): void => {
    const aspect = range(rng, 0.8, 1.25);
    const rot = range(rng, -60, 60);
    addSoft(
      sc,
      `<ellipse cx="${f(cx)}" cy="${f(cy)}" rx="${f(r * aspect)}" ry="${f(r / aspect)}" fill="${blobFill(color)}" transform="rotate(${f(rot)} ${f(cx)} ${f(cy)})"/>`,
    );
  };

  // Three hues per image read as a designed gradient; all five read as a paint spill.
  const hues = shuffled(rng, [pal.accent, pal.accent2, pal.mid, mix(pal.accent, pal.accent2, 0.5), lighten(pal.accent, 0.3)]).slice(0, 3);
  const calm = pick(rng, [pal.light, mix(pal.light, pal.accent2, 0.3), mix(pal.deep, pal.mid, 0.35)] as const);
  // Jittered grid matched to the aspect ratio keeps the colour spread even while the seed moves it.
  const cols = w > h * 1.3 ? 3 : 2;
  const rows = h > w * 1.3 ? 3 : 2;
  let n = 0;
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      const x = w * ((col + 0.5) / cols + range(rng, -0.1, 0.1));
      const y = h * ((row + 0.5) / rows + range(rng, -0.1, 0.1));
      blob(x, y, reach * range(rng, 0.42, 0.55), hues[n++ % hues.length] ?? pal.accent);
    }
  }
  // Focus blob: the brightest accent sits where a product would.
  blob(fx, fy, s * range(rng, 0.35, 0.45), pick(rng, [pal.accent, pal.accent2, lighten(pal.accent2, 0.2)] as const));
  // The copy side gets one broad, single-colour wash so headlines sit on an even field.
  const bandY = copy === "top" ? 0 : h;
  addSoft(sc, `<ellipse cx="${f(w / 2)}" cy="${f(bandY)}" rx="${f(w * 0.95)}" ry="${f(h * 0.55)}" fill="${blobFill(calm)}"/>`);

  // A faint glass ring gives the mesh a focal point without adding clutter.
  const ringR = s * range(rng, 0.16, 0.24);
  const hair = Math.max(1.5, s * 0.0022);
  const glass = linear(sc, fx - ringR, fy - ringR, fx + ringR, fy + ringR, [[0, "#ffffff", 0.28], [0.6, "#ffffff", 0.06], [1, "#ffffff", 0.02]]);
  add(sc, `<circle cx="${f(fx)}" cy="${f(fy)}" r="${f(ringR)}" fill="${glass}" stroke="#ffffff" stroke-opacity="0.45" stroke-width="${f(hair)}"/>`);
  add(sc, `<circle cx="${f(fx)}" cy="${f(fy)}" r="${f(ringR * 1.45)}" fill="none" stroke="#ffffff" stroke-opacity="0.16" stroke-width="${f(hair)}"/>`);

  copyScrim(sc, calm, luma(calm) > 150 ? 0.4 : 0.3);
}

// Bauhaus / Swiss poster: a modular grid of flat quarter circles, half discs, triangles and bars.
function geometric(sc: Scene): void {
  const { w, h, s, rng, pal, copy, fx } = sc;
  const paper = mix(pal.light, pal.accent2, range(rng, 0.05, 0.12));
  rectAll(sc, paper);
  const m = s * 0.06;
  const band = h * 0.4;
  const top = copy === "top" ? band : m;
  const bottom = copy === "top" ? h - m : h - band;
  const cols = Math.max(3, Math.round((w - 2 * m) / (s * 0.18)));
  const cell = (w - 2 * m) / cols;
  const rows = Math.max(2, Math.floor((bottom - top) / cell));
  const y0 = copy === "top" ? bottom - rows * cell : top;

  const inks = [pal.accent, pal.accent2, pal.mid, pal.deep] as const;
  const used = new Set<number>();
  const shapes: string[] = [];
  // Shape drawn in a unit cell (0..1), then placed with a quarter-turn rotation.
  const unit = (kind: number, alt: string): string => {
    switch (kind) {
      case 0:
        return `<path d="M0 0H1A1 1 0 0 1 0 1Z"/>`; // quarter disc
      case 1:
        return `<path d="M0 1A0.5 0.5 0 0 1 1 1Z"/>`; // half disc
      case 2:
        return `<circle cx="0.5" cy="0.5" r="0.4"/>`;
      case 3:
        return `<path d="M0 0L1 1H0Z"/>`; // right triangle
      case 4:
        return `<path d="M0 0H1V0.2H0ZM0 0.4H1V0.6H0ZM0 0.8H1V1H0Z"/>`; // bars
      case 5:
        return `<path fill-rule="evenodd" d="M0.5 0.08A0.42 0.42 0 1 1 0.5 0.92A0.42 0.42 0 1 1 0.5 0.08ZM0.5 0.3A0.2 0.2 0 1 0 0.5 0.7A0.2 0.2 0 1 0 0.5 0.3Z"/>`; // ring
      default:
        return `<path d="M0 0H1V1Z"/><path d="M0 1L0.5 0.5L1 1Z" fill="${alt}"/>`; // split diagonal
    }
  };
  const place = (col: number, row: number, span: number, bg: string | undefined, fg: string, kind: number): void => {
    const x = m + col * cell;
    const y = y0 + row * cell;
    const size = cell * span;
    if (bg) shapes.push(`<rect x="${f(x)}" y="${f(y)}" width="${f(size + 0.5)}" height="${f(size + 0.5)}" fill="${bg}"/>`);
    const turn = int(rng, 0, 3) * 90;
    const alts = inks.filter((c) => c !== fg && c !== bg);
    const alt = alts[Math.floor(rng() * alts.length)] ?? paper;
    shapes.push(
      `<g fill="${fg}" transform="translate(${f(x)} ${f(y)}) scale(${f(size)}) rotate(${turn} 0.5 0.5)">${unit(kind, alt)}</g>`,
    );
  };

  // Hero block: 2x2 cells at the focus, always the boldest element.
  const heroCol = Math.min(cols - 2, Math.max(0, Math.round(fx / cell - 1 - m / cell)));
  const heroRow = int(rng, 0, rows - 2);
  for (const dc of [0, 1]) for (const dr of [0, 1]) used.add((heroRow + dr) * cols + heroCol + dc);
  const heroBg = pick(rng, [pal.deep, pal.mid, undefined] as const);
  const heroFg = heroBg === pal.deep ? pick(rng, [pal.accent, pal.accent2] as const) : pal.accent;
  place(heroCol, heroRow, 2, heroBg, heroFg, pick(rng, [0, 1, 2, 5] as const));

  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      if (used.has(row * cols + col)) continue;
      const roll = rng();
      if (roll < 0.18) continue; // breathing room
      const bg = rng() < 0.45 ? undefined : pick(rng, inks);
      const choices = inks.filter((c) => c !== bg);
      const fg = choices[Math.floor(rng() * choices.length)] ?? pal.deep;
      place(col, row, 1, bg, fg, int(rng, 0, 6));
    }
  }
  add(sc, shapes.join(""));

  // Swiss-style rule and a small square mark in the copy area: structure without noise.
  const ruleY = copy === "top" ? y0 - s * 0.035 : y0 + rows * cell + s * 0.025;
  add(sc, `<rect x="${f(m)}" y="${f(ruleY)}" width="${f(w - 2 * m)}" height="${f(Math.max(2, s * 0.005))}" fill="${pal.deep}"/>`);
  const mark = s * 0.03;
  const markY = copy === "top" ? m : h - m - mark;
  add(sc, `<rect x="${f(w - m - mark)}" y="${f(markY)}" width="${f(mark)}" height="${f(mark)}" fill="${pal.accent}"/>`);
}

// Dark-to-mid base with three depths of out-of-focus light discs, all drawn with radial
// gradients (no blur filter): far discs are big and faint, near ones small with a bright rim.
function softBokeh(sc: Scene): void {
  const { w, h, s, rng, pal, copy, fx, fy } = sc;
  // The soft layer only holds washes and far, deliberately blurry discs.
  sc.softScale = 8;
  const dark = darken(pal.deep, 0.35);
  const midTone = mix(pal.deep, pal.mid, range(rng, 0.45, 0.7));
  const fromTop = copy === "top";
  rectAll(sc, linear(sc, 0, fromTop ? 0 : h, w * range(rng, 0.2, 0.8), fromTop ? h : 0, [[0, dark], [0.55, mix(dark, midTone, 0.6)], [1, midTone]]), "soft");
  glow(sc, fx, fy, s * range(rng, 0.6, 0.8), mix(pal.mid, pal.accent, 0.4), 0.45);
  glow(sc, range(rng, 0, w), fromTop ? h : 0, s * 0.7, pal.accent2, 0.25);

  // Light sources read as light only if they are brighter than the night around them.
  const lift = (c: string): string => (luma(c) < 130 ? lighten(c, 0.35) : c);
  const colours = [lift(pal.accent), lift(pal.accent2), pal.light, mix(pal.accent, pal.light, 0.45), lift(mix(pal.accent2, pal.mid, 0.3))] as const;
  const discFill = (color: string): string =>
    boxGradient(
      sc,
      `disc${color}`,
      (id) => `<radialGradient id="${id}">${stopsMarkup([[0, color, 0.55], [0.72, color, 0.7], [0.88, color, 0.9], [0.95, color, 0.45], [1, color, 0]])}</radialGradient>`,
    );
  const hazeFill = (color: string): string =>
    boxGradient(
      sc,
      `haze${color}`,
      (id) => `<radialGradient id="${id}">${stopsMarkup([[0, color, 0.8], [0.5, color, 0.55], [0.8, color, 0.2], [1, color, 0]])}</radialGradient>`,
    );

  // Discs cluster along a diagonal stream through the focus and thin out over the copy band:
  // rejection sampling over the canvas, so every format gets the same density.
  const angle = range(rng, -0.7, 0.7);
  const nx = -Math.sin(angle);
  const ny = Math.cos(angle);
  const spread = s * range(rng, 0.25, 0.4);
  const inCopy = (y: number): boolean => (fromTop ? y < h * 0.38 : y > h * 0.62);
  const spot = (): Point | undefined => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const x = range(rng, -s * 0.05, w + s * 0.05);
      const y = range(rng, -s * 0.05, h + s * 0.05);
      const d = ((x - fx) * nx + (y - fy) * ny) / spread;
      const keep = (0.12 + Math.exp(-d * d)) * (inCopy(y) ? 0.1 : 1);
      if (rng() < keep) return [x, y];
    }
    return undefined;
  };
  const area = Math.sqrt((w * h) / (s * s));
  const layers = [
    { count: int(rng, 9, 13), r: [0.08, 0.16], alpha: [0.15, 0.3], soft: true },
    { count: int(rng, 14, 20), r: [0.035, 0.075], alpha: [0.18, 0.42], soft: false },
    { count: int(rng, 22, 32), r: [0.008, 0.028], alpha: [0.35, 0.75], soft: false },
  ] as const;
  for (const layer of layers) {
    const count = Math.round(layer.count * area);
    for (let i = 0; i < count; i++) {
      const at = spot();
      if (!at) continue;
      const [x, y] = at;
      const r = s * range(rng, layer.r[0], layer.r[1]);
      const color = pick(rng, colours);
      const alpha = range(rng, layer.alpha[0], layer.alpha[1]);
      const fill = layer.soft || rng() < 0.35 ? hazeFill(color) : discFill(color);
      const markup = `<circle cx="${f(x)}" cy="${f(y)}" r="${f(r)}" fill="${fill}" fill-opacity="${alpha.toFixed(2)}"/>`;
      if (layer.soft) addSoft(sc, markup);
      else add(sc, markup);
    }
  }
  // Gentle highlight: a warm light bloom just above the focus.
  glow(sc, fx + s * range(rng, -0.1, 0.1), fy - s * 0.08, s * 0.28, lighten(pal.accent, 0.5), 0.35);
  copyScrim(sc, dark, 0.55);
  vignette(sc, 0.5);
}

// Stacked paper layers, back to front, each casting a soft shadow faked with offset copies.
function paperCut(sc: Scene): void {
  const { w, h, s, rng, pal, copy, fx } = sc;
  const layers = int(rng, 4, 6);
  // Copy on top: sky is the copy area. Copy at the bottom: the front layer is a broad flat field.
  const first = copy === "top" ? h * range(rng, 0.4, 0.46) : h * range(rng, 0.14, 0.22);
  const last = copy === "top" ? h * range(rng, 0.78, 0.84) : h * range(rng, 0.56, 0.6);
  const sky = mix(pal.light, pal.accent2, range(rng, 0.15, 0.3));
  rectAll(sc, linear(sc, 0, 0, 0, first + s * 0.1, [[0, lighten(sky, 0.35)], [1, sky]]));

  // Paper sun sitting on the horizon, partly hidden by the back layer; sometimes cut as rings.
  const sunR = s * range(rng, 0.09, 0.14);
  const sunY = Math.max(sunR + s * 0.05, first - sunR * range(rng, 0.2, 0.7));
  const shadowColour = darken(pal.deep, 0.5);
  const sunColour = mix(pal.accent, pal.light, 0.15);
  const rings = rng() < 0.5 ? 1 : 3;
  for (let i = 0; i < rings; i++) {
    const r = sunR * (1 - i * 0.22);
    const drop = s * 0.005;
    add(sc, `<circle cx="${f(fx + drop * 0.5)}" cy="${f(sunY + drop)}" r="${f(r + drop * 0.6)}" fill="${shadowColour}" fill-opacity="0.12"/>`);
    add(sc, `<circle cx="${f(fx)}" cy="${f(sunY)}" r="${f(r)}" fill="${mix(sunColour, pal.light, i * 0.2)}"/>`);
  }

  // Back layers are hazy and light, front ones deep; the middle picks up the palette's colour.
  const backTone = mix(pal.light, pal.mid, 0.4);
  const tint = mix(pal.mid, pal.accent, range(rng, 0, 0.3));
  const tone = (t: number): string => mix(mix(backTone, pal.deep, t), tint, 0.6 * Math.sin(Math.PI * t));
  const samples = Math.max(10, Math.round((w / s) * 12));
  for (let k = 0; k < layers; k++) {
    const t = layers === 1 ? 1 : k / (layers - 1);
    const base = first + (last - first) * t;
    // Two harmonics give hills that feel cut by hand rather than plotted.
    const amp = s * range(rng, 0.03, 0.07) * (1 - t * 0.35);
    const f1 = range(rng, 0.8, 1.8);
    const f2 = range(rng, 2.2, 4);
    const p1 = range(rng, 0, Math.PI * 2);
    const p2 = range(rng, 0, Math.PI * 2);
    const pts: Point[] = [];
    for (let i = 0; i <= samples; i++) {
      const x = -w * 0.02 + (w * 1.04 * i) / samples;
      const u = (x / w) * Math.PI * 2;
      pts.push([x, base + amp * (Math.sin(u * f1 + p1) + 0.35 * Math.sin(u * f2 + p2))]);
    }
    const d = `${smoothThrough(pts)}L${f(w * 1.02)} ${f(h + 2)}L${f(-w * 0.02)} ${f(h + 2)}Z`;
    // Shadow: the same edge, nudged up and out, a few times at low opacity for a soft falloff.
    const shadows = [0.02, 0.015, 0.011, 0.007, 0.0035]
      .map((o) => `<path d="${d}" transform="translate(${f(s * o * 0.3)} ${f(-s * o)})" fill-opacity="0.07"/>`)
      .join("");
    add(sc, `<g fill="${shadowColour}">${shadows}</g>`);
    const c = tone(t);
    const fill = linear(sc, 0, base - amp * 1.4, 0, base + s * 0.35, [[0, lighten(c, 0.1)], [1, darken(c, 0.12)]]);
    add(sc, `<path d="${d}" fill="${fill}"/>`);
    // Thin lit edge along the cut.
    add(sc, `<path d="${smoothThrough(pts)}" fill="none" stroke="#ffffff" stroke-opacity="0.18" stroke-width="${f(Math.max(1.2, s * 0.0018))}" transform="translate(0 ${f(s * 0.0015)})"/>`);
  }
}

const STYLES: Record<Style, (sc: Scene) => void> = {
  photographic,
  minimalist,
  illustration,
  luxury,
  retro,
  "3d-render": render3d,
};

const PRESETS: Record<Exclude<BuiltinPreset, "auto">, (sc: Scene) => void> = {
  "gradient-mesh": gradientMesh,
  geometric,
  "soft-bokeh": softBokeh,
  "paper-cut": paperCut,
};

// An unknown preset (say, from an older client) falls back to the style instead of throwing.
function sceneRenderer(options: RenderOptions): (sc: Scene) => void {
  const { preset } = options;
  if (preset && preset !== "auto" && Object.hasOwn(PRESETS, preset)) return PRESETS[preset];
  return STYLES[options.style];
}

// Focus x positions per variant, so the images of one batch do not share a layout.
const ANCHORS = [0.5, 0.32, 0.68, 0.4, 0.6, 0.28, 0.72, 0.5] as const;

const SOFT_SCALE = 4;

/** The scene's focus (where its subject is drawn) and palette, for tests. */
export function sceneFocus(options: RenderOptions): { x: number; y: number; palette: Palette } {
  const sc = buildScene(options);
  return { x: sc.fx, y: sc.fy, palette: sc.pal };
}

function buildScene(options: RenderOptions): Scene {
  const { width: w, height: h, variant } = options;
  const batchHash = hashString(`${options.prompt}\u0000${options.productName}\u0000${options.seed}`);
  const hash = hashString(`${options.prompt}\u0000${options.productName}\u0000${options.seed}\u0000${variant}`);
  const rng = mulberry32(hash);
  // On-brand: the palette comes from the brand's colours. Without them, rotate through the
  // tone's palettes by variant, so one batch shows clearly different colourways.
  const palettes = PALETTES[options.tone];
  const base = options.brand ? brandPalette(options.brand.primary, options.brand.secondary, (batchHash + variant) % 4) : (palettes[(batchHash + variant) % palettes.length] ?? palettes[0]);
  const room = options.room;
  // The subject goes where the layout leaves room; the copy side is the other one.
  const copy = room ? (room.y + room.height / 2 > 0.5 ? "top" : "bottom") : ((variant + (batchHash >>> 7)) & 1) === 0 ? "top" : "bottom";
  const s = Math.min(w, h);
  const anchor = ANCHORS[variant % ANCHORS.length] ?? 0.5;
  const focus = room
    ? { x: w * (room.x + room.width * (0.5 + (anchor - 0.5) * 0.5)), y: h * (room.y + room.height * range(rng, 0.34, 0.44)) }
    : { x: w * (anchor + range(rng, -0.05, 0.05)), y: copy === "top" ? h * range(rng, 0.56, 0.64) : h * range(rng, 0.34, 0.42) };
  const sc: Scene = {
    w,
    h,
    s,
    rng,
    pal: styledPalette(base, options.style),
    copy,
    fx: focus.x,
    fy: focus.y,
    defs: [],
    soft: [],
    body: [],
    ids: 0,
    softScale: SOFT_SCALE,
    cache: new Map(),
  };
  sceneRenderer(options)(sc);
  return sc;
}

// Same user-space coordinates at any pixel size, so both layers share one set of defs.
function svgDocument(sc: Scene, pixelWidth: number, pixelHeight: number, content: readonly string[]): Buffer {
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${pixelWidth}" height="${pixelHeight}" viewBox="0 0 ${sc.w} ${sc.h}"><defs>${sc.defs.join("")}</defs>${content.join("")}</svg>`,
  );
}


export async function renderAdBackground(options: RenderOptions): Promise<Buffer> {
  const sc = buildScene(options);
  const { w, h } = sc;
  const crisp = [...sc.body];
  if (sc.soft.length > 0) {
    // Glows and vignettes carry no detail worth full resolution: rasterise them at 1/16 of the
    // pixels and let librsvg upscale the bitmap under the crisp shapes. sharp's own
    // resize + composite was slower here (composite blends in float).
    const small = await sharp(svgDocument(sc, Math.max(1, Math.round(w / sc.softScale)), Math.max(1, Math.round(h / sc.softScale)), sc.soft))
      .removeAlpha()
      .png({ compressionLevel: 1, adaptiveFiltering: false })
      .toBuffer();
    crisp.unshift(
      `<image width="${w}" height="${h}" preserveAspectRatio="none" href="data:image/png;base64,${small.toString("base64")}"/>`,
    );
  }
  // The scene is opaque, so dropping alpha shrinks the encode work by a quarter.
  // Low zlib level and no adaptive filtering: these are intermediate files, speed beats size.
  return sharp(svgDocument(sc, w, h, crisp))
    .removeAlpha()
    .png({ compressionLevel: 2, adaptiveFiltering: false })
    .toBuffer();
}
