import { describe, it, expect } from "vitest";
import sharp from "sharp";
import { BUILTIN_PRESET_IDS, type BuiltinPresetId } from "../../lib/design";
import type { RenderOptions } from "../../lib/server/providers/builtin/options";
import { renderAdBackground } from "../../lib/server/providers/builtin/render";

const BASE: RenderOptions = {
  prompt: "Sparkling citrus water on a sunny terrace",
  seed: 424242,
  width: 1024,
  height: 1024,
  style: "photographic",
  tone: "energetic",
  productName: "Fizz",
  variant: 0,
};

const STYLES: RenderOptions["style"][] = ["photographic", "minimalist", "illustration", "luxury", "retro", "3d-render"];

async function distinctColours(png: Buffer): Promise<number> {
  const raw = await sharp(png).resize(32, 32, { fit: "fill" }).removeAlpha().raw().toBuffer();
  const seen = new Set<number>();
  for (let i = 0; i + 2 < raw.length; i += 3) {
    seen.add(((raw[i] ?? 0) << 16) | ((raw[i + 1] ?? 0) << 8) | (raw[i + 2] ?? 0));
  }
  return seen.size;
}

async function thumbnail(png: Buffer): Promise<Buffer> {
  return sharp(png).resize(32, 32, { fit: "fill" }).removeAlpha().raw().toBuffer();
}

// Mean absolute per-channel difference (0..255) between two 32x32 downsamples.
async function thumbDistance(a: Buffer, b: Buffer): Promise<number> {
  const [ta, tb] = await Promise.all([thumbnail(a), thumbnail(b)]);
  let sum = 0;
  for (let i = 0; i < ta.length; i++) sum += Math.abs((ta[i] ?? 0) - (tb[i] ?? 0));
  return sum / ta.length;
}

async function channelMeans(png: Buffer): Promise<number[]> {
  const stats = await sharp(png).stats();
  return stats.channels.slice(0, 3).map((c) => c.mean);
}

describe("renderAdBackground", () => {
  it.each([
    [1024, 1024],
    [896, 1152],
    [768, 1344],
    [1216, 640],
  ])("renders a %ix%i PNG of exactly that size", async (width, height) => {
    const png = await renderAdBackground({ ...BASE, width, height });
    expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    const meta = await sharp(png).metadata();
    expect(meta.format).toBe("png");
    expect(meta.width).toBe(width);
    expect(meta.height).toBe(height);
  });

  it("keeps the exact size for every style on a non-square format", async () => {
    for (const style of STYLES) {
      const meta = await sharp(await renderAdBackground({ ...BASE, style, width: 768, height: 1344 })).metadata();
      expect([style, meta.width, meta.height]).toEqual([style, 768, 1344]);
    }
  });

  it("is deterministic: same options give identical bytes", async () => {
    for (const style of STYLES) {
      const a = await renderAdBackground({ ...BASE, style });
      const b = await renderAdBackground({ ...BASE, style });
      expect(a.equals(b), style).toBe(true);
    }
  });

  it("changes with the seed", async () => {
    for (const style of STYLES) {
      const a = await renderAdBackground({ ...BASE, style });
      const b = await renderAdBackground({ ...BASE, style, seed: BASE.seed + 1 });
      expect(a.equals(b), style).toBe(false);
    }
  });

  it("changes with the variant", async () => {
    for (const style of STYLES) {
      const a = await renderAdBackground({ ...BASE, style, variant: 0 });
      const b = await renderAdBackground({ ...BASE, style, variant: 1 });
      expect(a.equals(b), style).toBe(false);
    }
  });

  it("produces a varied image, not a flat placeholder, for every style", async () => {
    for (const style of STYLES) {
      const png = await renderAdBackground({ ...BASE, style });
      const stats = await sharp(png).stats();
      const spread = Math.max(...stats.channels.slice(0, 3).map((c) => c.stdev));
      expect(spread, `${style} channel stdev`).toBeGreaterThan(10);
      expect(await distinctColours(png), `${style} distinct colours`).toBeGreaterThan(20);
    }
  });

  it("picks clearly different colours for different tones", async () => {
    for (const style of STYLES) {
      const energetic = await channelMeans(await renderAdBackground({ ...BASE, style, tone: "energetic" }));
      const calm = await channelMeans(await renderAdBackground({ ...BASE, style, tone: "calm" }));
      const distance = Math.hypot(...energetic.map((m, i) => m - (calm[i] ?? 0)));
      expect(distance, style).toBeGreaterThan(15);
    }
    const a = await sharp(await renderAdBackground({ ...BASE, tone: "energetic" })).stats();
    const b = await sharp(await renderAdBackground({ ...BASE, tone: "trustworthy" })).stats();
    expect(a.dominant).not.toEqual(b.dominant);
  });
});

const PRESETS = BUILTIN_PRESET_IDS.filter((p): p is Exclude<BuiltinPresetId, "auto"> => p !== "auto");
const SIZES = [
  [768, 1344],
  [896, 1152],
  [1024, 1024],
  [1216, 640],
  [1344, 768],
] as const;

describe("renderAdBackground presets", () => {
  it.each(PRESETS)("renders %s at exactly every supported size", async (preset) => {
    for (const [width, height] of SIZES) {
      const meta = await sharp(await renderAdBackground({ ...BASE, preset, width, height })).metadata();
      expect([preset, meta.format, meta.width, meta.height]).toEqual([preset, "png", width, height]);
    }
  });

  it("keeps today's behaviour for auto, undefined and unknown presets", async () => {
    for (const style of ["photographic", "retro"] as const) {
      const plain = await renderAdBackground({ ...BASE, style });
      expect((await renderAdBackground({ ...BASE, style, preset: "auto" })).equals(plain), style).toBe(true);
      const unknown = { ...BASE, style, preset: "watercolour" as unknown as BuiltinPresetId };
      expect((await renderAdBackground(unknown)).equals(plain), style).toBe(true);
    }
  });

  it("is deterministic for every preset", async () => {
    for (const preset of PRESETS) {
      const options: RenderOptions = { ...BASE, preset, width: 896, height: 1152, tone: "calm", variant: 3 };
      const a = await renderAdBackground(options);
      const b = await renderAdBackground({ ...options });
      expect(a.equals(b), preset).toBe(true);
    }
  });

  it("varies the composition with seed and variant", async () => {
    for (const preset of PRESETS) {
      const a = await renderAdBackground({ ...BASE, preset });
      const seeded = await renderAdBackground({ ...BASE, preset, seed: BASE.seed + 1 });
      const varied = await renderAdBackground({ ...BASE, preset, variant: 1 });
      expect(await thumbDistance(a, seeded), `${preset} seed`).toBeGreaterThan(3);
      expect(await thumbDistance(a, varied), `${preset} variant`).toBeGreaterThan(3);
    }
  });

  it("gives clearly different images for different presets with the same seed", async () => {
    for (const tone of ["energetic", "trustworthy"] as const) {
      const renders = await Promise.all(PRESETS.map((preset) => renderAdBackground({ ...BASE, tone, preset })));
      const plain = await renderAdBackground({ ...BASE, tone });
      for (let i = 0; i < renders.length; i++) {
        const a = renders[i] ?? plain;
        expect(await thumbDistance(a, plain), `${PRESETS[i]} vs style ${tone}`).toBeGreaterThan(15);
        for (let j = i + 1; j < renders.length; j++) {
          const distance = await thumbDistance(a, renders[j] ?? plain);
          expect(distance, `${PRESETS[i]} vs ${PRESETS[j]} ${tone}`).toBeGreaterThan(15);
        }
      }
    }
  });

  it("produces a varied image, not a flat placeholder, for every preset and tone", async () => {
    for (const preset of PRESETS) {
      for (const tone of ["energetic", "calm", "premium", "playful", "trustworthy"] as const) {
        const png = await renderAdBackground({ ...BASE, preset, tone });
        const stats = await sharp(png).stats();
        const spread = Math.max(...stats.channels.slice(0, 3).map((c) => c.stdev));
        expect(spread, `${preset}/${tone} channel stdev`).toBeGreaterThan(10);
        expect(await distinctColours(png), `${preset}/${tone} distinct colours`).toBeGreaterThan(20);
      }
    }
  });
});

describe("the stage for a product (#22)", () => {
  it("is drawn only when a product will stand on it: no empty pedestal, in any style or image of a batch", async () => {
    const { sceneFocus } = await import("../../lib/server/providers/builtin/render");
    for (const style of STYLES) {
      for (let variant = 0; variant < 8; variant++) {
        expect(sceneFocus({ ...BASE, style, variant }).parts, `${style} #${variant} without a product`).not.toContain("pedestal");
      }
    }
    for (const style of ["photographic", "luxury"] as const) expect(sceneFocus({ ...BASE, style, product: true }).parts, style).toContain("pedestal");
    // The photographic stage without a product is a still life that stands on its own.
    expect(sceneFocus({ ...BASE, style: "photographic" }).parts).toContain("still-life");
  });

  it("a scene without a product still has a subject where the layout leaves room, and renders", async () => {
    const png = await renderAdBackground({ ...BASE, product: false });
    expect(await distinctColours(png)).toBeGreaterThan(20);
    const withProduct = await renderAdBackground({ ...BASE, product: true });
    expect(Buffer.compare(await thumbnail(png), await thumbnail(withProduct))).not.toBe(0);
  });
});

describe("the product on its pedestal (#22)", () => {
  it("sets the pedestal's top right under where the compositor stands the product, in every format and layout", async () => {
    const { sceneFocus } = await import("../../lib/server/providers/builtin/render");
    const { artDirection } = await import("../../lib/server/compositing/art-direction");
    const { productPlacement } = await import("../../lib/server/compositing/product-placement");
    const { AD_FORMAT_IDS, formatSize, outputSize } = await import("../../lib/ad-formats");
    const { LAYOUT_IDS, DEFAULT_DESIGN } = await import("../../lib/design");
    // A tall bottle and a wide shoe.
    for (const product of [{ width: 300, height: 700 }, { width: 900, height: 420 }]) {
      for (const format of AD_FORMAT_IDS) {
        for (const layout of LAYOUT_IDS) {
          const direction = artDirection({ ...DEFAULT_DESIGN, layout, productId: `${"0".repeat(32)}.png` }, format, product);
          const placed = productPlacement(layout, format, product);
          const canvas = outputSize(format);
          const size = formatSize(format);
          for (const style of ["photographic", "luxury"] as const) {
            const where = `${style}, ${format}, ${layout}, ${product.width}×${product.height}`;
            const scene = sceneFocus({ ...BASE, ...size, style, brand: direction.brand, room: direction.room, product: true, stage: direction.stage });
            expect(scene.parts, where).toContain("pedestal");
            const top = scene.stageTop!;
            // In fractions of the picture, which the compositor scales onto the canvas.
            expect(Math.abs(top.y / size.height - (placed.y + placed.height) / canvas.height), `${where}: top under the base`).toBeLessThan(0.01);
            expect(Math.abs(top.cx / size.width - (placed.x + placed.width / 2) / canvas.width), `${where}: centred under it`).toBeLessThan(0.01);
            expect(top.rx / size.width, `${where}: at least as wide as the product`).toBeGreaterThanOrEqual((placed.width / canvas.width) * 0.5);
          }
        }
      }
    }
  });
});
