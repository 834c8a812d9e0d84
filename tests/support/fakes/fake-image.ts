/**
 * The pictures the fake providers answer with: one flat colour per seed (from a palette with no
 * black or white, so "blank image" checks never trip), cached per size, format and colour.
 */
import sharp from "sharp";

const MAX_SIDE = 16_384;
const DEFAULT_SIZE = 1024;

export type FakeImageFormat = "png" | "jpeg";

/** Small palette (no black/white, so "blank image" heuristics don't trip); seeds map onto it to keep the cache small. */
const PALETTE: ReadonlyArray<readonly [number, number, number]> = [
  [70, 130, 180],
  [220, 120, 60],
  [60, 170, 110],
  [200, 70, 120],
  [150, 110, 200],
  [230, 190, 60],
  [60, 180, 190],
  [170, 90, 60],
  [110, 150, 60],
  [90, 100, 170],
  [210, 100, 160],
  [120, 120, 120],
];

export function colourForSeed(seed?: number): readonly [number, number, number] {
  const idx = seed === undefined || !Number.isFinite(seed) ? 0 : Math.abs(Math.trunc(seed)) % PALETTE.length;
  return PALETTE[idx] ?? [70, 130, 180];
}

const imageCache = new Map<string, Promise<Buffer>>();

function clampSide(n: number): number {
  if (!Number.isFinite(n)) return DEFAULT_SIZE;
  return Math.min(MAX_SIDE, Math.max(1, Math.trunc(n)));
}

/** A real, solid-colour image made with sharp; cached by (w, h, format, colour). */
export function fakeImage(width: number, height: number, format: FakeImageFormat, seed?: number): Promise<Buffer> {
  const w = clampSide(width);
  const h = clampSide(height);
  const [r, g, b] = colourForSeed(seed);
  const key = `${w}x${h}:${format}:${r},${g},${b}`;
  let cached = imageCache.get(key);
  if (!cached) {
    const base = sharp({ create: { width: w, height: h, channels: 3, background: { r, g, b } } });
    cached = (format === "png" ? base.png() : base.jpeg({ quality: 80 })).toBuffer();
    imageCache.set(key, cached);
    cached.catch(() => imageCache.delete(key));
  }
  return cached;
}

/**
 * A real image of random pixels (it does not compress): for tests that need a picture whose
 * previews are too large to travel inline. Cached by size and format.
 */
export function detailedImage(width: number, height: number, format: FakeImageFormat): Promise<Buffer> {
  const w = clampSide(width);
  const h = clampSide(height);
  const key = `detailed:${w}x${h}:${format}`;
  let cached = imageCache.get(key);
  if (!cached) {
    const pixels = Buffer.alloc(w * h * 3);
    let state = 7;
    for (let i = 0; i < pixels.length; i++) {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      pixels[i] = state >> 23;
    }
    const base = sharp(pixels, { raw: { width: w, height: h, channels: 3 } });
    cached = (format === "png" ? base.png() : base.jpeg({ quality: 90 })).toBuffer();
    imageCache.set(key, cached);
    cached.catch(() => imageCache.delete(key));
  }
  return cached;
}

// ---------------------------------------------------------------------------------------------
// Behaviour validation (for the control API)
// ---------------------------------------------------------------------------------------------
