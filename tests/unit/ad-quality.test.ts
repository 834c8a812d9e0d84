import { beforeAll, describe, expect, it } from "vitest";
import { AD_FORMAT_IDS, formatSize } from "@/lib/ad-formats";
import { DEFAULT_DESIGN, LAYOUT_IDS, type Design } from "@/lib/design";
import { artDirection } from "@/lib/server/compositing/art-direction";
import { composeCreative } from "@/lib/server/compositing/compositor";
import { renderAdBackground } from "@/lib/server/providers/builtin/render";
import { BRANDS, barLogo, cutOut, expectShippable } from "../support/quality-brands";

/**
 * The quality suite (#22), first part: twelve brands a marketer might bring (light and dark
 * colours, a logo in the brand's own colour, long and short copy, with and without a packshot),
 * on the built-in renderer's pictures, in every layout of every format. Each ad must be one a
 * marketer would ship: no word of copy cut or dropped, text at 4.5:1 or more, the logo at 3:1 or
 * more, the product whole, inside the safe zone and never under the copy (the built-in stage set
 * under it). Variant sets: `variant-quality.test.ts`.
 */

const assets = new Map<string, { logo: Buffer | null; product: Buffer | null }>();
beforeAll(async () => {
  for (const brand of BRANDS) assets.set(brand.name, { logo: brand.logo ? await barLogo(brand.logo) : null, product: brand.product ? await cutOut(brand.product) : null });
});

describe("ads a marketer would ship: 12 brands × every format × every layout", () => {
  it("has at least ten brands, light and dark, with and without a logo and a packshot, short and long copy", () => {
    expect(BRANDS.length).toBeGreaterThanOrEqual(10);
    const lightness = (hex: string) => parseInt(hex.slice(1, 3), 16) + parseInt(hex.slice(3, 5), 16) + parseInt(hex.slice(5, 7), 16);
    expect(BRANDS.some((brand) => lightness(brand.design.primaryColor) > 600)).toBe(true);
    expect(BRANDS.some((brand) => lightness(brand.design.primaryColor) < 150)).toBe(true);
    expect(BRANDS.some((brand) => brand.logo === brand.design.primaryColor)).toBe(true);
    expect(BRANDS.filter((brand) => brand.product).length).toBeGreaterThanOrEqual(4);
    expect(BRANDS.filter((brand) => !brand.logo).length).toBeGreaterThanOrEqual(3);
    expect(BRANDS.some((brand) => brand.design.headline.length > 45)).toBe(true);
  });

  for (const brand of BRANDS) {
    it(`${brand.name}: copy whole, text 4.5:1, logo 3:1, the product whole and clear of the copy`, async () => {
      const { logo, product } = assets.get(brand.name)!;
      for (const format of AD_FORMAT_IDS) {
        for (const [n, layout] of LAYOUT_IDS.entries()) {
          const design: Design = { ...DEFAULT_DESIGN, ...brand.design, layout, logoId: null, productId: product ? "0".repeat(32) + ".png" : null };
          const direction = artDirection(design, format, product ? { width: 240, height: 360 } : undefined);
          const background = await renderAdBackground({ prompt: brand.name, seed: 1000 + n, ...formatSize(format), style: brand.style, tone: "energetic", productName: brand.design.brandName, variant: n, ...direction });
          const { report } = await composeCreative({ background, format, design, logo, product }, { encoding: "png" });
          expectShippable(report, design, `${brand.name} ${format} ${layout}`, { logo, product });
        }
      }
    });
  }
});
