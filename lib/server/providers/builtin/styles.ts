import "server-only";
import { range, int, pick } from "./random";
import { mix, lighten, darken } from "../../colour";
import { f, type Scene, stopsMarkup, linear, radial, boxGradient, softDot, add, addSoft, rectAll, glow, copyScrim, copyLimit, vignette, pieceOf } from "./scene";

/** One treatment per visual style, used when no preset is chosen. */
export function photographic(sc: Scene): void {
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

  // Plinth + floor: the stage the product is composited onto, its top face right under the product's base.
  const drawnRx = s * range(rng, 0.17, 0.24);
  const rx = sc.stage ? stageRadius(sc, sc.stage) : drawnRx;
  const top = sc.stage ? sc.stage.base : fy + s * 0.12;
  const height = s * range(rng, 0.09, 0.15);
  const tiers = rng() < 0.4 ? 2 : 1;
  const baseHeight = tiers === 2 ? height * 0.6 : 0;
  const bottom = top + height + baseHeight;
  const horizon = top + (height + baseHeight) * 0.5;
  addSoft(sc, `<rect y="${f(horizon)}" width="${w}" height="${f(h - horizon)}" fill="${linear(sc, 0, horizon, 0, h, [[0, darken(pal.mid, 0.35), 0.9], [1, darken(pal.deep, 0.45), 1]])}"/>`);
  add(sc, `<rect y="${f(horizon - 1)}" width="${w}" height="${f(Math.max(2, s * 0.004))}" fill="${linear(sc, 0, 0, w, 0, [[0, pal.light, 0], [0.5, pal.light, 0.35], [1, pal.light, 0]])}"/>`);

  // Optional backdrop set piece, standing on the horizon behind the plinth. Without a product there
  // is no plinth (an empty one reads as something missing): the set piece is the subject then.
  const drawn = pieceOf(sc, 3);
  const backdrop = sc.product || drawn > 0 ? drawn : 1 + (Math.round(fx) % 2);
  const bw = rx * range(rng, 1.3, 1.7);
  const backFill = linear(sc, 0, horizon - bw * 2.4, 0, horizon, [[0, mix(pal.mid, pal.light, 0.3), 0.85], [1, darken(pal.mid, 0.35), 0.85]]);
  if (backdrop === 1) {
    const archTop = Math.max(copyLimit(sc), horizon - bw * 2.4);
    add(sc, `<path d="M${f(fx - bw)} ${f(horizon)}V${f(archTop + bw)}A${f(bw)} ${f(bw)} 0 0 1 ${f(fx + bw)} ${f(archTop + bw)}V${f(horizon)}Z" fill="${backFill}"/>`);
  } else if (backdrop === 2) {
    const br = bw * 1.1;
    add(sc, `<circle cx="${f(fx)}" cy="${f(horizon - br * 0.75)}" r="${f(br)}" fill="${backFill}"/>`);
  }

  if (sc.product) {
    sc.parts.push("pedestal");
    addSoft(sc, `<ellipse cx="${f(fx)}" cy="${f(bottom)}" rx="${f(rx * 1.9)}" ry="${f(rx * 0.45)}" fill="${softDot(sc, "#000000", 0.55)}"/>`);
    if (tiers === 2) cylinder(sc, fx, top + height, rx * 1.3, baseHeight, darken(pal.mid, 0.15));
    cylinder(sc, fx, top, rx, height, pal.mid);
    sc.stageTop = { cx: fx, y: top, rx };
  } else {
    // A still life that stands on its own: two glossy spheres resting on the floor in the light.
    sc.parts.push("still-life");
    const floor = horizon + (bottom - horizon) * 0.6;
    const big = rx * 0.8;
    const small = big * 0.5;
    const side = Math.round(fx) % 2 === 0 ? 1 : -1;
    for (const [cx, r, color] of [[fx - side * big * 0.35, big, pal.accent], [fx + side * big * 1.05, small, mix(pal.mid, pal.light, 0.35)]] as const) {
      addSoft(sc, `<ellipse cx="${f(cx)}" cy="${f(floor)}" rx="${f(r * 1.25)}" ry="${f(r * 0.22)}" fill="${softDot(sc, "#000000", 0.5)}"/>`);
      add(sc, `<circle cx="${f(cx)}" cy="${f(floor - r)}" r="${f(r)}" fill="${radial(sc, cx - r * 0.35, floor - r * 1.4, r * 1.5, [[0, lighten(color, 0.7)], [0.3, lighten(color, 0.2)], [0.75, color], [1, darken(color, 0.45)]])}"/>`);
    }
  }

  copyScrim(sc, darken(pal.deep, 0.3), 0.45);
  vignette(sc, 0.55);
}

/** A stage a little wider than the product's footprint, so it reads as standing on it. */
function stageRadius(sc: Scene, stage: NonNullable<Scene["stage"]>): number {
  return Math.max(stage.width * 0.6, sc.s * 0.1);
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

export function minimalist(sc: Scene): void {
  const { w, h, s, rng, pal, fx, fy, copy } = sc;
  const bg = mix(pal.light, rng() < 0.5 ? pal.accent2 : pal.mid, range(rng, 0.08, 0.18));
  rectAll(sc, bg);

  // With copy at the bottom the floor block itself becomes the quiet copy panel.
  const ground = copy === "bottom" ? h * range(rng, 0.6, 0.66) : Math.min(h * 0.9, fy + s * range(rng, 0.16, 0.22));
  const floor = mix(bg, pal.mid, range(rng, 0.18, 0.3));
  add(sc, `<rect y="${f(ground)}" width="${w}" height="${f(h - ground)}" fill="${floor}"/>`);

  const main = mix(pal.mid, pal.light, range(rng, 0.1, 0.35));
  const kind = pieceOf(sc, 3);
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

export function illustration(sc: Scene): void {
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

export function luxury(sc: Scene): void {
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

  const motif = pieceOf(sc, 3);
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
  const py = sc.stage ? sc.stage.base : fy + s * 0.2;
  const prx = sc.stage ? stageRadius(sc, sc.stage) : s * 0.22;
  const pry = sc.stage ? prx * 0.14 : s * 0.03;
  if (sc.product) {
    sc.parts.push("pedestal");
    addSoft(sc, `<ellipse cx="${f(fx)}" cy="${f(py + pry)}" rx="${f(prx * 1.6)}" ry="${f(pry * 3)}" fill="${softDot(sc, pal.accent, 0.35)}"/>`);
    const top = linear(sc, 0, py - pry, 0, py + pry, [[0, mix(pal.mid, pal.accent, 0.35)], [1, darken(pal.mid, 0.3)]]);
    add(sc, `<ellipse cx="${f(fx)}" cy="${f(py)}" rx="${f(prx)}" ry="${f(pry)}" fill="${top}" stroke="${gold}" stroke-width="${f(hair * 1.5)}"/>`);
    sc.stageTop = { cx: fx, y: py, rx: prx };
  }
  const d = s * 0.018;
  const dy = motifTop - s * 0.04;
  add(sc, `<path d="M${f(fx)} ${f(dy - d)}L${f(fx + d)} ${f(dy)}L${f(fx)} ${f(dy + d)}L${f(fx - d)} ${f(dy)}Z" fill="${gold}"/>`);

  copyScrim(sc, darken(pal.deep, 0.5), 0.35);
}

export function retro(sc: Scene): void {
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

export function render3d(sc: Scene): void {
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
