import "server-only";
import sharp from "sharp";
import type { BuiltinPresetId } from "@/lib/design";
import { hashString, mulberry32 } from "../../seeded-random";
import type { RenderOptions, Style } from "./options";
import { PALETTES, brandPalette, styledPalette, type Palette } from "./palettes";
import { range } from "./random";
import type { Scene } from "./scene";
import { photographic, minimalist, illustration, luxury, retro, render3d } from "./styles";
import { gradientMesh, geometric, softBokeh, paperCut } from "./presets";

const STYLES: Record<Style, (sc: Scene) => void> = {
  photographic,
  minimalist,
  illustration,
  luxury,
  retro,
  "3d-render": render3d,
};

const PRESETS: Record<Exclude<BuiltinPresetId, "auto">, (sc: Scene) => void> = {
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

/** The scene's focus (where its subject is drawn), palette and named set pieces, for tests. */
export function sceneFocus(options: RenderOptions): { x: number; y: number; palette: Palette; parts: string[]; stageTop?: { cx: number; y: number; rx: number } } {
  const sc = buildScene(options);
  return { x: sc.fx, y: sc.fy, palette: sc.pal, parts: sc.parts, ...(sc.stageTop ? { stageTop: sc.stageTop } : {}) };
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
  const stage = options.product && options.stage ? { cx: w * (options.stage.x + options.stage.width / 2), base: h * (options.stage.y + options.stage.height), width: w * options.stage.width, height: h * options.stage.height } : undefined;
  // With a product, the subject is the product: the focus is where it will stand.
  const focus = stage
    ? { x: stage.cx, y: stage.base - stage.height * 0.5 }
    : room
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
    product: options.product ?? false,
    ...(stage ? { stage } : {}),
    // Offset by the product (every picture of a set has its own prompt and seed), not per picture.
    piece: variant + (hashString(options.productName ?? "") % 3),
    parts: [],
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

/**
 * The offline renderer: designed abstract ad backgrounds, deterministic from prompt and seed, drawn
 * as SVG and rasterised with sharp (librsvg).
 */
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
