import "server-only";
import type { Palette } from "./palettes";
import type { Rng } from "./random";

/**
 * The SVG scene the renderer builds: two layers (soft glows drawn small and upscaled, crisp shapes
 * at full size) and the drawing helpers every style and preset uses.
 */
// Rounded numbers keep the markup short, which speeds up librsvg parsing.
export const f = (n: number): string => String(Math.round(n * 10) / 10);

export type Stop = readonly [offset: number, color: string, opacity?: number];

export interface Scene {
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
  /** A product will stand in the picture (so a stage for it is drawn). */
  product: boolean;
  /** Where it will stand, in scene pixels: the stage's top is drawn under `base`, centred on `cx`. */
  stage?: { cx: number; base: number; width: number; height: number };
  /** The pedestal's top face as drawn (centre, height, half-width), for tests. */
  stageTop?: { cx: number; y: number; rx: number };
  /** Set pieces drawn, by name ("pedestal"), for tests. */
  parts: string[];
  /** This picture's place in its set, offset per batch: picks the set piece, so the pictures of a set never repeat one until every piece is used. */
  piece: number;
}

/** Which of `count` set pieces this picture draws: the next one for each picture of a set. */
export function pieceOf(sc: Scene, count: number): number {
  return sc.piece % count;
}

export function stopsMarkup(stops: readonly Stop[]): string {
  return stops
    .map(([o, c, a]) => `<stop offset="${f(o * 100)}%" stop-color="${c}"${a === undefined ? "" : ` stop-opacity="${Number(a.toFixed(3))}"`}/>`)
    .join("");
}

export function linear(sc: Scene, x1: number, y1: number, x2: number, y2: number, stops: readonly Stop[]): string {
  const id = `g${sc.ids++}`;
  sc.defs.push(
    `<linearGradient id="${id}" gradientUnits="userSpaceOnUse" x1="${f(x1)}" y1="${f(y1)}" x2="${f(x2)}" y2="${f(y2)}">${stopsMarkup(stops)}</linearGradient>`,
  );
  return `url(#${id})`;
}

export function radial(sc: Scene, cx: number, cy: number, r: number, stops: readonly Stop[]): string {
  const id = `g${sc.ids++}`;
  sc.defs.push(
    `<radialGradient id="${id}" gradientUnits="userSpaceOnUse" cx="${f(cx)}" cy="${f(cy)}" r="${f(r)}">${stopsMarkup(stops)}</radialGradient>`,
  );
  return `url(#${id})`;
}

// Bounding-box gradients can be shared by many shapes, so cache them by recipe.
export function boxGradient(sc: Scene, key: string, markup: (id: string) => string): string {
  const hit = sc.cache.get(key);
  if (hit) return hit;
  const id = `g${sc.ids++}`;
  sc.defs.push(markup(id));
  const ref = `url(#${id})`;
  sc.cache.set(key, ref);
  return ref;
}

export function softDot(sc: Scene, color: string, opacity: number): string {
  return boxGradient(
    sc,
    `dot${color}${opacity}`,
    (id) => `<radialGradient id="${id}">${stopsMarkup([[0, color, opacity], [0.55, color, opacity * 0.45], [1, color, 0]])}</radialGradient>`,
  );
}

export const add = (sc: Scene, markup: string): void => {
  sc.body.push(markup);
};

// librsvg fills radial gradients at ~20 ms per megapixel, so big soft glows go here instead.
export const addSoft = (sc: Scene, markup: string): void => {
  sc.soft.push(markup);
};

export const rectAll = (sc: Scene, fill: string, layer: "soft" | "crisp" = "crisp"): void =>
  (layer === "soft" ? addSoft : add)(sc, `<rect width="${sc.w}" height="${sc.h}" fill="${fill}"/>`);

export function glow(sc: Scene, cx: number, cy: number, r: number, color: string, opacity: number): void {
  const fill = radial(sc, cx, cy, r, [[0, color, opacity], [0.45, color, opacity * 0.45], [1, color, 0]]);
  addSoft(sc, `<circle cx="${f(cx)}" cy="${f(cy)}" r="${f(r)}" fill="${fill}"/>`);
}

// Fades the copy third toward a flat colour so headline text stays legible whatever is behind it.
export function copyScrim(sc: Scene, color: string, opacity: number): void {
  const { w, h, copy } = sc;
  const band = h * 0.42;
  const y = copy === "top" ? 0 : h - band;
  const stops: readonly Stop[] =
    copy === "top" ? [[0, color, opacity], [1, color, 0]] : [[0, color, 0], [1, color, opacity]];
  addSoft(sc, `<rect y="${f(y)}" width="${w}" height="${f(band)}" fill="${linear(sc, 0, y, 0, y + band, stops)}"/>`);
}

// Lowest y a tall shape may reach without entering a top copy band.
export const copyLimit = (sc: Scene): number => (sc.copy === "top" ? sc.h * 0.36 : sc.s * 0.06);

export function vignette(sc: Scene, strength: number): void {
  const { w, h } = sc;
  const r = Math.hypot(w, h) / 2;
  rectAll(sc, radial(sc, w / 2, h / 2, r, [[0.5, "#000000", 0], [1, "#000000", strength]]), "soft");
}


export type Point = readonly [x: number, y: number];

// Catmull-Rom spline through the points as cubic Béziers: smooth curves from a few samples.
export function smoothThrough(points: readonly Point[]): string {
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
