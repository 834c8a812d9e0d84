import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { AD_FORMAT_IDS, AD_FORMATS, safeArea, type AdFormatId } from "@/lib/ad-formats";
import { DEFAULT_DESIGN, LAYOUT_IDS, type Design } from "@/lib/design";
import { composeCreative } from "@/lib/server/compositing/compositor";
import { parseHex, worstContrast, type Rect } from "@/lib/server/compositing/contrast";

/** Backgrounds that stress legibility: all white, all black, and high-frequency noise. */
const backgrounds: Record<string, Buffer> = {};

beforeAll(async () => {
  const size = { width: 1024, height: 1024 };
  backgrounds.bright = await sharp({ create: { ...size, channels: 3, background: "#ffffff" } }).png().toBuffer();
  backgrounds.dark = await sharp({ create: { ...size, channels: 3, background: "#050505" } }).png().toBuffer();
  const noise = Buffer.alloc(size.width * size.height * 3);
  let state = 12345;
  for (let i = 0; i < noise.length; i++) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    noise[i] = state >> 23;
  }
  backgrounds.busy = await sharp(noise, { raw: { ...size, channels: 3 } }).png().toBuffer();
});

async function rgba(bytes: Buffer): Promise<{ pixels: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { pixels: data, width: info.width, height: info.height };
}

/** Bounding box of the pixels a layer actually painted (alpha > 0). */
function paintedBox(pixels: Buffer, width: number, height: number): Rect | null {
  let minX = width, minY = height, maxX = -1, maxY = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (pixels[(y * width + x) * 4 + 3]! > 0) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  return maxX < 0 ? null : { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

const compose = (background: string, format: AdFormatId, design: Partial<Design> = {}, options = {}, logo: Buffer | null = null) =>
  composeCreative({ background: backgrounds[background]!, backgroundKey: `${background}-${Object.keys(options).join()}`, format, design: { ...DEFAULT_DESIGN, ...design }, logo }, { encoding: "png", ...options });

describe("composeCreative", () => {
  it("outputs every platform format at its exact size", async () => {
    for (const format of AD_FORMAT_IDS) {
      const { bytes } = await compose("busy", format);
      const metadata = await sharp(bytes).metadata();
      expect([metadata.width, metadata.height]).toEqual([AD_FORMATS[format].width, AD_FORMATS[format].height]);
    }
  });

  it("keeps all copy inside the safe zone, including the story's top and bottom 250 px, for every layout", async () => {
    const longCopy = {
      headline: "An unusually long headline that has to wrap over several lines without overflowing",
      subline: "And a subline that keeps going for a while so that it must also wrap and perhaps shrink to fit the space it has",
    };
    for (const format of AD_FORMAT_IDS) {
      for (const layout of LAYOUT_IDS) {
        const { bytes, report } = await compose("busy", format, { ...longCopy, layout }, { layers: "text-only" });
        const { pixels, width, height } = await rgba(bytes);
        const box = paintedBox(pixels, width, height)!;
        const safe = safeArea(format);
        expect(box, `${format}/${layout}`).not.toBeNull();
        expect(box.x, `${format}/${layout} left`).toBeGreaterThanOrEqual(safe.x);
        expect(box.y, `${format}/${layout} top`).toBeGreaterThanOrEqual(safe.y);
        expect(box.x + box.width, `${format}/${layout} right`).toBeLessThanOrEqual(safe.x + safe.width);
        expect(box.y + box.height, `${format}/${layout} bottom`).toBeLessThanOrEqual(safe.y + safe.height);
        // Wrapped at word boundaries: every word of the copy is drawn whole.
        expect(report.headline.lines.join(" ")).toBe(longCopy.headline);
        expect(report.subline?.lines.join(" ")).toBe(longCopy.subline);
      }
    }
  });

  it("measures at least 4.5:1 behind the headline on bright, dark and busy pictures", async () => {
    for (const background of ["bright", "dark", "busy"]) {
      for (const layout of LAYOUT_IDS) {
        for (const format of ["instagram-square", "story", "link"] as const) {
          const { report } = await compose(background, format, { layout });
          // Render the same creative without its copy and measure the real pixels behind the headline.
          const { bytes } = await compose(background, format, { layout }, { layers: "no-text" });
          const { pixels, width } = await rgba(bytes);
          const measured = worstContrast(pixels, width, report.headline.box, parseHex(report.headline.color));
          expect(measured, `${background}/${layout}/${format}`).toBeGreaterThanOrEqual(4.5);
          if (report.subline) {
            expect(worstContrast(pixels, width, report.subline.box, parseHex(report.subline.color)), `${background}/${layout} subline`).toBeGreaterThanOrEqual(4.5);
          }
          expect(worstContrast(pixels, width, report.cta.box, parseHex(report.cta.color))).toBeGreaterThanOrEqual(4.5);
        }
      }
    }
  });

  it("adds a scrim only when the picture needs one", async () => {
    expect((await compose("dark", "instagram-square", { layout: "top-headline" })).report.scrim).toBeUndefined();
    expect((await compose("busy", "instagram-square", { layout: "top-headline" })).report.scrim?.alpha).toBeGreaterThan(0);
  });

  it("draws the logo where the layout puts it", async () => {
    const magenta = await sharp({ create: { width: 300, height: 100, channels: 4, background: "#ff00ff" } }).png().toBuffer();
    for (const layout of LAYOUT_IDS) {
      const { bytes, report } = await compose("dark", "instagram-square", { layout }, {}, magenta);
      const { pixels, width } = await rgba(bytes);
      const { x, y, width: w, height: h } = report.logo;
      expect(w, layout).toBeGreaterThan(0);
      const centre = (Math.round(y + h / 2) * width + Math.round(x + w / 2)) * 4;
      expect([pixels[centre], pixels[centre + 1], pixels[centre + 2]], layout).toEqual([255, 0, 255]);
      const safe = safeArea("instagram-square");
      expect(x).toBeGreaterThanOrEqual(safe.x);
      expect(y).toBeGreaterThanOrEqual(safe.y);
    }
  });

  it("sets the brand name as a wordmark when there is no logo", async () => {
    const { report } = await compose("bright", "instagram-square", { brandName: "Aurora", layout: "top-headline" });
    expect(report.logo.width).toBeGreaterThan(20);
  });

  it("sets a wordmark at one size per format in every layout, and ends it at the right margin where the layout puts it right", async () => {
    for (const format of AD_FORMAT_IDS) {
      const sizes = new Set<number>();
      for (const layout of LAYOUT_IDS) {
        const { report } = await compose("dark", format, { brandName: "Aurora", layout });
        sizes.add(report.wordmark!.fontSize);
        expect(report.wordmark!.lines).toEqual(["Aurora"]);
        if (layout === "top-headline") {
          const safe = safeArea(format);
          // Flush with the safe zone's right edge (a few px of glyph side bearing aside).
          expect(safe.x + safe.width - (report.logo.x + report.logo.width), `${format} right margin`).toBeLessThanOrEqual(6);
        }
      }
      expect([...sizes], format).toHaveLength(1);
    }
  });

  it("fits a 40-character brand name inside the safe zone in every layout × format: shrinks, then wraps, never cut or overlapping the copy", async () => {
    const brandName = "The Extraordinarily Long Brand Name Co.!";
    expect(brandName).toHaveLength(40);
    for (const format of AD_FORMAT_IDS) {
      const safe = safeArea(format);
      for (const layout of LAYOUT_IDS) {
        const where = `${format}/${layout}`;
        const { bytes, report } = await compose("busy", format, { brandName, layout }, { layers: "text-only" });
        // Every word drawn, none cut.
        expect(report.wordmark!.lines.join(" "), where).toBe(brandName);
        const logo = report.logo;
        expect(logo.x, `${where} left`).toBeGreaterThanOrEqual(safe.x);
        expect(logo.y, `${where} top`).toBeGreaterThanOrEqual(safe.y);
        expect(logo.x + logo.width, `${where} right`).toBeLessThanOrEqual(safe.x + safe.width);
        expect(logo.y + logo.height, `${where} bottom`).toBeLessThanOrEqual(safe.y + safe.height);
        for (const other of [report.headline.box, report.cta.button, ...(report.subline ? [report.subline.box] : [])]) {
          expect(overlaps(logo, other), `${where} wordmark overlaps the copy`).toBe(false);
        }
        // And the pixels agree: nothing painted outside the safe zone.
        const { pixels, width, height } = await rgba(bytes);
        const box = paintedBox(pixels, width, height)!;
        expect(box.x + box.width, `${where} painted right`).toBeLessThanOrEqual(safe.x + safe.width);
        expect(box.x, `${where} painted left`).toBeGreaterThanOrEqual(safe.x);
      }
    }
  });
});
