import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { AD_FORMAT_IDS, safeArea } from "@/lib/ad-formats";
import { DEFAULT_DESIGN, LAYOUT_IDS } from "@/lib/design";
import { normaliseProduct } from "@/lib/server/branding/product-image";
import { composeCreative } from "@/lib/server/compositing/compositor";
import type { Rect } from "@/lib/server/compositing/contrast";

/** A red "bottle" 200×400 with a white label in its middle, on a plain white studio background. */
async function bottleOnWhite(format: "jpeg" | "png" = "jpeg"): Promise<Buffer> {
  const bottle = await sharp({ create: { width: 200, height: 400, channels: 3, background: "#c0392b" } })
    .composite([{ input: await sharp({ create: { width: 120, height: 80, channels: 3, background: "#ffffff" } }).png().toBuffer(), left: 40, top: 160 }])
    .png()
    .toBuffer();
  const photo = sharp({ create: { width: 600, height: 600, channels: 3, background: "#fbfbfa" } }).composite([{ input: bottle, left: 200, top: 100 }]);
  return format === "jpeg" ? photo.jpeg({ quality: 92 }).toBuffer() : photo.png().toBuffer();
}

let cutOut: Buffer;
let background: Buffer;

beforeAll(async () => {
  // A product that is already a cut-out: a red square with transparent margins.
  cutOut = await sharp({ create: { width: 300, height: 300, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
    .composite([{ input: await sharp({ create: { width: 200, height: 200, channels: 4, background: { r: 230, g: 20, b: 20, alpha: 1 } } }).png().toBuffer(), left: 50, top: 50 }])
    .png()
    .toBuffer();
  background = await sharp({ create: { width: 1024, height: 1024, channels: 3, background: "#223344" } }).png().toBuffer();
});

async function alphaAt(png: Buffer, x: number, y: number): Promise<number> {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return data[(y * info.width + x) * 4 + 3]!;
}

/**
 * A shoe as a studio packshot is shot: a dark upper on a white backdrop that falls off towards the
 * bottom, with a little sensor noise, and white laces looping above the upper, touching the
 * backdrop, set off from it only by their faint shaded rims (#EBEBEB, close to the backdrop's white).
 */
async function shoeWithWhiteLaces(): Promise<{ photo: Buffer; lace: { x: number; y: number }; gap: { x: number; y: number } }> {
  const width = 600;
  const height = 400;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<defs><linearGradient id="wall" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#ffffff"/><stop offset="1" stop-color="#f3f3f3"/></linearGradient></defs>` +
    `<rect width="${width}" height="${height}" fill="url(#wall)"/>` +
    `<path d="M120 300 Q130 200 250 190 L420 200 Q500 230 500 300 Z" fill="#24324a"/>` +
    // Two lace loops rising above the upper into the backdrop: white, with faint rims.
    `<rect x="250" y="120" width="40" height="80" rx="18" fill="#f8f8f8" stroke="#ebebeb" stroke-width="2"/>` +
    `<rect x="330" y="110" width="40" height="95" rx="18" fill="#f8f8f8" stroke="#ebebeb" stroke-width="2"/>` +
    // Two dark dots in opposite corners hold the trim to the whole photo, so its points stay where they are.
    `<rect x="0" y="0" width="3" height="3" fill="#000"/><rect x="${width - 3}" y="${height - 3}" width="3" height="3" fill="#000"/>` +
    `</svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).raw().toBuffer({ resolveWithObject: true });
  let state = 97;
  for (let i = 0; i < data.length; i++) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    data[i] = Math.max(0, Math.min(255, data[i]! + ((state >> 16) % 7) - 3));
  }
  const photo = await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).jpeg({ quality: 92 }).toBuffer();
  // A point inside a lace loop, above the upper; and a point of backdrop between the two loops.
  return { photo, lace: { x: 270, y: 150 }, gap: { x: 310, y: 140 } };
}

describe("product images", () => {
  it("keeps the product's own whites that touch the backdrop (white laces on a white backdrop) and still keys the backdrop around and between them (#22)", async () => {
    const { photo, lace, gap } = await shoeWithWhiteLaces();
    const result = await normaliseProduct(photo);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { data, info } = await sharp(result.png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([600, 400]);
    const alpha = (x: number, y: number) => data[(y * info.width + x) * 4 + 3]!;
    expect(alpha(lace.x, lace.y), "inside a lace loop").toBe(255);
    expect(alpha(lace.x + 80, lace.y), "inside the other loop").toBe(255);
    expect(alpha(gap.x, gap.y), "backdrop between the loops").toBe(0);
    expect(alpha(300, 250), "the upper").toBe(255);
    // No specks: every pixel of the backdrop above the upper, outside the loops and the corner dots, is clear.
    let specks = 0;
    for (let y = 8; y < 180; y++) {
      for (let x = 8; x < info.width - 8; x++) {
        const inLoop = (x >= 246 && x <= 294) || (x >= 326 && x <= 374);
        if (!inLoop && alpha(x, y) > 0) specks++;
      }
    }
    expect(specks).toBe(0);
  });

  it("keeps a cut-out as it is, trimmed to the product", async () => {
    const result = await normaliseProduct(cutOut);
    expect(result).toMatchObject({ ok: true, keyed: false, width: 200, height: 200 });
  });

  it("cuts a product out of a plain white background by keying from the edges, keeping its own white parts", async () => {
    const result = await normaliseProduct(await bottleOnWhite());
    if (!result.ok) throw new Error(result.error);
    expect(result.keyed).toBe(true);
    // Trimmed to the bottle (a pixel or two of JPEG fringe aside).
    expect(Math.abs(result.width - 200)).toBeLessThanOrEqual(4);
    expect(Math.abs(result.height - 400)).toBeLessThanOrEqual(4);
    // The white label inside the bottle is not background: it stays opaque.
    expect(await alphaAt(result.png, Math.round(result.width / 2), Math.round(result.height / 2))).toBe(255);
  });

  it("refuses what cannot be cut out, and what is not an image, saying what to upload instead", async () => {
    const noise = Buffer.alloc(300 * 300 * 3);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) % 251;
    const busy = await sharp(noise, { raw: { width: 300, height: 300, channels: 3 } }).jpeg().toBuffer();
    expect(await normaliseProduct(busy)).toMatchObject({ ok: false, code: "invalid", error: expect.stringMatching(/background is not plain and light.*cut-out/) });
    expect(await normaliseProduct(Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>"))).toMatchObject({ ok: false, code: "unsupported-media" });
    expect(await normaliseProduct(Buffer.alloc(0))).toMatchObject({ ok: false, code: "invalid" });
  });

  it("stands the product inside the safe zone, never under the copy, in every layout × format", async () => {
    const product = (await normaliseProduct(cutOut)) as { png: Buffer };
    const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    for (const format of AD_FORMAT_IDS) {
      const safe = safeArea(format);
      for (const layout of LAYOUT_IDS) {
        const where = `${format}/${layout}`;
        const { bytes, report } = await composeCreative(
          { background, backgroundKey: `product-${format}`, format, design: { ...DEFAULT_DESIGN, layout }, logo: null, product: product.png },
          { encoding: "png" },
        );
        const rect = report.product!;
        expect(rect.width, `${where} size`).toBeGreaterThan(20);
        expect(rect.x, `${where} left`).toBeGreaterThanOrEqual(safe.x);
        expect(rect.y, `${where} top`).toBeGreaterThanOrEqual(safe.y);
        expect(rect.x + rect.width, `${where} right`).toBeLessThanOrEqual(safe.x + safe.width);
        expect(rect.y + rect.height, `${where} bottom`).toBeLessThanOrEqual(safe.y + safe.height);
        for (const copy of [report.headline.box, report.cta.button, report.logo, ...(report.subline ? [report.subline.box] : [])]) {
          expect(overlaps(rect, copy), `${where}: the product is under the copy`).toBe(false);
        }
        // The pixels agree: the product's red at its centre.
        const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
        const i = (Math.round(rect.y + rect.height / 2) * info.width + Math.round(rect.x + rect.width / 2)) * info.channels;
        expect([data[i], data[i + 1], data[i + 2]], where).toEqual([230, 20, 20]);
      }
    }
  });
});
