import "server-only";
import sharp from "sharp";
import { sniffLogo } from "./logo-image";

const MAX_PRODUCT_SIDE = 1200;
/** How far (RGB distance) a pixel may be from the backdrop colour and still be backdrop. */
const KEY_TOLERANCE = 42;
/** Between the tolerance and this, pixels on the cut are half transparent: a soft edge, not a jagged one. */
const FEATHER = 70;
/** How far a backdrop pixel may be from the colour the flood carried to it (noise and light fall-off stay within; a part's shaded rim does not). */
const LOCAL_TOLERANCE = 10;

export type ProductResult = { ok: true; png: Buffer; width: number; height: number; keyed: boolean } | { ok: false; code: "invalid" | "unsupported-media"; error: string };

/**
 * A product image ready to place on the stage: a PNG or WebP with transparency is kept as it is; a
 * photo on a plain light background is cut out by keying the backdrop colour from the edges inward
 * (a flood fill, so white parts of the product itself stay); anything else is refused with what
 * to upload instead. The result is trimmed to the product and at most 1200 px on its long side.
 */
export async function normaliseProduct(bytes: Buffer): Promise<ProductResult> {
  if (bytes.length === 0) return { ok: false, code: "invalid", error: "The upload is empty: choose a PNG, WebP or JPEG of the product." };
  const kind = sniffLogo(bytes);
  if (kind !== "png" && kind !== "jpeg" && kind !== "webp") {
    return { ok: false, code: "unsupported-media", error: "That file is not a PNG, WebP or JPEG image. Upload the product photo in one of those formats." };
  }
  let raw: { data: Buffer; width: number; height: number };
  try {
    const { data, info } = await sharp(bytes, { failOn: "error", limitInputPixels: 40_000_000 })
      .rotate()
      .resize(MAX_PRODUCT_SIDE, MAX_PRODUCT_SIDE, { fit: "inside", withoutEnlargement: true })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    raw = { data, width: info.width, height: info.height };
  } catch {
    return { ok: false, code: "invalid", error: `That ${kind.toUpperCase()} file is damaged or incomplete.` };
  }

  const keyed = !hasTransparency(raw.data);
  if (keyed) {
    const backdrop = plainLightBackdrop(raw);
    if (!backdrop) {
      return {
        ok: false,
        code: "invalid",
        error: "This photo has no transparent background, and its background is not plain and light, so the product cannot be cut out. Upload a PNG or WebP cut-out, or a photo on a plain white background.",
      };
    }
    keyOut(raw, backdrop);
  }
  const box = opaqueBounds(raw);
  if (!box) return { ok: false, code: "invalid", error: "Nothing is left of the picture once its background is removed. Upload a photo where the product stands out from the background." };
  const png = await sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: 4 } })
    .extract({ left: box.x, top: box.y, width: box.width, height: box.height })
    .png()
    .toBuffer();
  return { ok: true, png, width: box.width, height: box.height, keyed };
}

/** More than 1% of pixels see-through: the upload is already a cut-out. */
function hasTransparency(rgba: Buffer): boolean {
  let clear = 0;
  const pixels = rgba.length / 4;
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i]! < 250) clear++;
  return clear > pixels * 0.01;
}

/** The backdrop colour when the picture's border is one plain, light colour; null otherwise. */
function plainLightBackdrop({ data, width, height }: { data: Buffer; width: number; height: number }): [number, number, number] | null {
  const border: [number, number, number][] = [];
  const ring = Math.max(1, Math.round(Math.min(width, height) * 0.02));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (x >= ring && x < width - ring && y >= ring && y < height - ring) continue;
      const i = (y * width + x) * 4;
      border.push([data[i]!, data[i + 1]!, data[i + 2]!]);
    }
  }
  const median = [0, 1, 2].map((c) => border.map((p) => p[c]!).sort((a, b) => a - b)[Math.floor(border.length / 2)]!) as [number, number, number];
  const luminance = 0.2126 * median[0] + 0.7152 * median[1] + 0.0722 * median[2];
  const close = border.filter((p) => distance(p, median) <= KEY_TOLERANCE).length;
  return luminance >= 170 && close >= border.length * 0.85 ? median : null;
}

/**
 * Makes the backdrop transparent, flooding inward from the border so the product's own light parts
 * stay. The flood follows the backdrop as it changes (light falling off, sensor noise) by carrying
 * a running colour along: a pixel joins only when it is close to the backdrop's colour overall and
 * to the colour the flood brought with it. A white part of the product that touches the backdrop
 * (laces on a white backdrop) is set off by a shaded rim, darker than the backdrop just beside it,
 * however close both are to white: the flood stops there.
 */
function keyOut({ data, width, height }: { data: Buffer; width: number; height: number }, backdrop: [number, number, number]): void {
  const seen = new Uint8Array(width * height);
  const local = new Float32Array(width * height * 3);
  const queue: number[] = [];
  const visit = (p: number, from?: number) => {
    if (seen[p]) return;
    const colour: [number, number, number] = [data[p * 4]!, data[p * 4 + 1]!, data[p * 4 + 2]!];
    const d = distance(colour, backdrop);
    if (d > FEATHER) return;
    const carried: [number, number, number] = from === undefined ? colour : [local[from * 3]!, local[from * 3 + 1]!, local[from * 3 + 2]!];
    if (d <= KEY_TOLERANCE && distance(colour, carried) > LOCAL_TOLERANCE) return;
    seen[p] = 1;
    // Inside the tolerance: backdrop. Between it and the feather: an anti-aliased edge, partly kept.
    data[p * 4 + 3] = d <= KEY_TOLERANCE ? 0 : Math.round((255 * (d - KEY_TOLERANCE)) / (FEATHER - KEY_TOLERANCE));
    if (d > KEY_TOLERANCE) return;
    for (let c = 0; c < 3; c++) local[p * 3 + c] = carried[c]! * 0.75 + colour[c]! * 0.25;
    queue.push(p);
  };
  for (let x = 0; x < width; x++) {
    visit(x);
    visit((height - 1) * width + x);
  }
  for (let y = 0; y < height; y++) {
    visit(y * width);
    visit(y * width + width - 1);
  }
  while (queue.length > 0) {
    const p = queue.pop()!;
    const x = p % width;
    if (x > 0) visit(p - 1, p);
    if (x < width - 1) visit(p + 1, p);
    if (p >= width) visit(p - width, p);
    if (p < (height - 1) * width) visit(p + width, p);
  }
  clearBackdropIslands(data, width, height, backdrop);
}

/**
 * Backdrop the flood stepped around (a noisy patch, a speck of dust) would show as white dots on
 * the ad and widen the trim: every group of pixels left opaque that holds nothing but backdrop
 * colours, and so is not part of the product, is cleared too. White parts of the product touch
 * its darker parts (laces, the upper), so their group holds those and stays.
 */
function clearBackdropIslands(data: Buffer, width: number, height: number, backdrop: [number, number, number]): void {
  const group = new Int32Array(width * height).fill(-1);
  const members: number[] = [];
  for (let start = 0; start < width * height; start++) {
    if (group[start] !== -1 || data[start * 4 + 3] === 0) continue;
    members.length = 0;
    let product = false;
    group[start] = start;
    members.push(start);
    for (let at = 0; at < members.length; at++) {
      const p = members[at]!;
      if (distance([data[p * 4]!, data[p * 4 + 1]!, data[p * 4 + 2]!], backdrop) > KEY_TOLERANCE) product = true;
      const x = p % width;
      for (const q of [x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, p - width, p + width]) {
        if (q < 0 || q >= width * height || group[q] !== -1 || data[q * 4 + 3] === 0) continue;
        group[q] = start;
        members.push(q);
      }
    }
    if (!product) for (const p of members) data[p * 4 + 3] = 0;
  }
}

function opaqueBounds({ data, width, height }: { data: Buffer; width: number; height: number }): { x: number; y: number; width: number; height: number } | null {
  let minX = width, minY = height, maxX = -1, maxY = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (data[(y * width + x) * 4 + 3]! > 16) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  return maxX < 0 ? null : { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
}

function distance(a: readonly number[], b: readonly number[]): number {
  return Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);
}
