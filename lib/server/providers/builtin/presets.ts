import "server-only";
import { range, int, pick, shuffled } from "./random";
import { mix, lighten, darken, luma } from "../../colour";
import { f, type Scene, stopsMarkup, linear, boxGradient, add, addSoft, rectAll, glow, copyScrim, vignette, type Point, smoothThrough } from "./scene";

/** Whole looks that override the per-style treatment (gradient mesh, geometric, soft bokeh, paper cut). */
// Overlapping, rotated elliptical blobs, all on the eighth-size soft layer: a mesh gradient without
// mesh support. Smoothstep-like stops keep blob edges invisible.
export function gradientMesh(sc: Scene): void {
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
export function geometric(sc: Scene): void {
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
export function softBokeh(sc: Scene): void {
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
export function paperCut(sc: Scene): void {
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
