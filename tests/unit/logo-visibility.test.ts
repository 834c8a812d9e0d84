import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { AD_FORMAT_IDS } from "@/lib/ad-formats";
import { DEFAULT_DESIGN, LAYOUT_IDS } from "@/lib/design";
import { composeCreative } from "@/lib/server/compositing/compositor";
import { contrastRatio, luminance, parseHex, type Rect } from "@/lib/server/compositing/contrast";

/**
 * A logo in the brand's own colour stays visible on a band, card or panel of that colour, and on
 * a picture of it: measured on the finished ad's pixels, the logo against what is right around it
 * (inside its own transparent margin) reaches 3:1 in every layout of every format.
 */

/** A 300×100 logo: a solid bar of `colour` with 25 px of transparency above and below it. */
function barLogo(colour: string): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100"><rect x="20" y="25" width="260" height="50" fill="${colour}"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

const picture = (colour: string) => sharp({ create: { width: 1024, height: 1024, channels: 3, background: colour } }).png().toBuffer();

/** The median luminance of a region of an RGBA image. */
function medianIn(pixels: Buffer, width: number, rect: Rect): number {
  const values: number[] = [];
  for (let y = Math.ceil(rect.y); y < Math.floor(rect.y + rect.height); y++) {
    for (let x = Math.ceil(rect.x); x < Math.floor(rect.x + rect.width); x++) {
      const at = (y * width + x) * 4;
      values.push(luminance(pixels[at]!, pixels[at + 1]!, pixels[at + 2]!));
    }
  }
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)]!;
}

/** The logo's bar against its transparent margin above it, in the finished ad. */
async function visibleContrast(bytes: Buffer, logo: Rect): Promise<number> {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const bar = { x: logo.x + logo.width * 0.15, y: logo.y + logo.height * 0.35, width: logo.width * 0.7, height: logo.height * 0.3 };
  const margin = { x: logo.x + logo.width * 0.15, y: logo.y + 1, width: logo.width * 0.7, height: logo.height * 0.25 - 2 };
  return contrastRatio(medianIn(data, info.width, bar), medianIn(data, info.width, margin));
}

describe("a logo in the brand's colour", () => {
  for (const brand of ["#1F2A44", "#7B3F00"]) {
    it(`${brand} on a ${brand} band, card, panel or picture: visible (3:1 or more) in every layout of every format`, async () => {
      const logo = await barLogo(brand);
      const background = await picture(brand);
      for (const format of AD_FORMAT_IDS) {
        for (const layout of LAYOUT_IDS) {
          const { bytes, report } = await composeCreative({ background, format, design: { ...DEFAULT_DESIGN, primaryColor: brand, layout }, logo }, { encoding: "png" });
          const where = `${format} ${layout}`;
          expect(report.logoPlate, `${where}: plated`).toBeDefined();
          expect(report.logoContrast!, where).toBeGreaterThanOrEqual(3);
          expect(await visibleContrast(bytes, report.logo), `${where}: measured on the ad`).toBeGreaterThanOrEqual(3);
          // The plate stays where the logo may go: inside the safe zone.
          const plate = report.logoPlate!;
          expect(plate.x >= report.safe.x && plate.y >= report.safe.y && plate.x + plate.width <= report.safe.x + report.safe.width && plate.y + plate.height <= report.safe.y + report.safe.height, `${where}: plate inside the safe zone`).toBe(true);
        }
      }
    });
  }

  it("a logo that already stands out is drawn as it is, with no plate", async () => {
    const logo = await barLogo("#FFFFFF");
    const background = await picture("#1F2A44");
    for (const layout of LAYOUT_IDS) {
      const { bytes, report } = await composeCreative({ background, format: "instagram-square", design: { ...DEFAULT_DESIGN, primaryColor: "#1F2A44", layout }, logo }, { encoding: "png" });
      expect(report.logoPlate, layout).toBeUndefined();
      expect(await visibleContrast(bytes, report.logo), layout).toBeGreaterThanOrEqual(3);
    }
  });

  it("and the measure is the one WCAG uses: navy on navy is about 1:1, brown on a brown band under 3:1", () => {
    const [r, g, b] = parseHex("#1F2A44");
    expect(contrastRatio(luminance(r, g, b), luminance(r, g, b))).toBe(1);
    const [br, bg, bb] = parseHex("#7B3F00");
    expect(contrastRatio(luminance(br, bg, bb), luminance(0x5a, 0x2e, 0x00))).toBeLessThan(3);
  });
});
