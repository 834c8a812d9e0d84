import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { formatSize, type AdFormatId } from "@/lib/ad-formats";
import type { CampaignBrief } from "@/lib/campaign";
import { DEFAULT_DESIGN, type Design } from "@/lib/design";
import { creativeDesign, VARIANT_DIMENSION_IDS, type VariantDimension } from "@/lib/variants";
import { artDirection } from "@/lib/server/compositing/art-direction";
import { composeCreative, type ComposeReport } from "@/lib/server/compositing/compositor";
import { buildPrompts, imageSeed } from "@/lib/server/generation/prompts";
import { renderAdBackground } from "@/lib/server/providers/builtin/render";
import { planCreativeVariants } from "@/lib/server/use-cases/plan-variants";
import { BRANDS, barLogo, cutOut, expectShippable, type Brand } from "../support/quality-brands";

/**
 * The quality suite (#22), second part: variant sets. For brands of the first part, in a feed and
 * a story format, each kind of set (picture, copy angle, layout, everything) is made as a run makes
 * it (the plan, the offline copy writer, one prompt and seed per scene, the built-in renderer) and
 * every creative must ship (copy whole, contrast, logo, product clear of the copy). Then the set
 * must differ in what it declares and only in that: four "picture" variants are four pictures
 * with the same copy and layout, not one ad four times; "copy" variants are one picture with four
 * headlines; "layout" variants put the copy in four places.
 */

const COUNT = 4;
/**
 * How far apart two pictures of a set must at least be, at 64 px: in colour (mean per channel, of
 * 255) and in what they show (`structuralDifference`). Low on purpose, and honest about the
 * built-in renderer: its luxury style is hairlines on a smooth gradient, so two of its pictures
 * with different set pieces measure only 0.08 apart in structure, and a set of four repeats one of
 * its three set pieces in another light (2.2 apart in colour). The same picture measures 0 and 0.
 */
const PICTURES_APART = { colour: 2, structure: 0.05 };
const FORMATS: AdFormatId[] = ["instagram-square", "story"];
/** A brand with a packshot and a logo in its own colour, a bakery with long copy and a dark logo, a wordmark brand, a light one. */
const SETS = ["running shoes", "bakery", "skincare", "florist"];

interface Made {
  layout: string;
  design: Design;
  background: Buffer;
  ad: Buffer;
  report: ComposeReport;
}

const uploads = new Map<string, { logo: Buffer | null; product: Buffer | null }>();
beforeAll(async () => {
  for (const name of SETS) {
    const brand = BRANDS.find((candidate) => candidate.name === name)!;
    uploads.set(name, { logo: brand.logo ? await barLogo(brand.logo) : null, product: brand.product ? await cutOut(brand.product) : null });
  }
});

async function makeSet(brand: Brand, format: AdFormatId, dimension: VariantDimension): Promise<Made[]> {
  const { logo, product } = uploads.get(brand.name)!;
  const design: Design = { ...DEFAULT_DESIGN, ...brand.design, layout: "bottom-band", logoId: null, productId: product ? "0".repeat(32) + ".png" : null };
  const brief: CampaignBrief = { productName: brand.design.brandName, productDescription: brand.design.subline, targetAudience: "people who follow the brand", style: brand.style, tone: "energetic" };
  const planned = await planCreativeVariants({}, { brief, design, format, dimension, count: COUNT });
  const scenes = buildPrompts(brief, { count: planned.pictures, seed: 4242, format, design });
  const made: Made[] = [];
  // As the runner shares them: one picture per scene, and with a packshot one per scene and layout
  // (the stage is set where the product stands in that layout).
  const pictures = new Map<string, Promise<Buffer>>();
  for (const [index, variant] of planned.variants.entries()) {
    const layout = planned.layouts[index] ?? design.layout;
    const own = creativeDesign({ ...design, layout }, variant);
    const key = `${variant.picture}${product ? `:${layout}` : ""}`;
    if (!pictures.has(key)) pictures.set(key, renderAdBackground({
      prompt: scenes.prompts[variant.picture - 1]!,
      seed: imageSeed(4242, variant.picture - 1),
      ...formatSize(format),
      style: brand.style,
      tone: "energetic",
      productName: brand.design.brandName,
      variant: variant.picture - 1,
      ...artDirection(own, format, product ? { width: 240, height: 360 } : undefined),
    }));
    const background = await pictures.get(key)!;
    const { bytes, report } = await composeCreative({ background, format, design: own, logo, product }, { encoding: "png" });
    made.push({ layout, design: own, background, ad: bytes, report });
  }
  return made;
}

/** Mean difference per channel (0–255) between two pictures, compared at 64 px. */
async function difference(a: Buffer, b: Buffer): Promise<number> {
  const small = (bytes: Buffer) => sharp(bytes).resize(64, 64, { fit: "fill" }).removeAlpha().raw().toBuffer();
  const [x, y] = await Promise.all([small(a), small(b)]);
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.abs(x[i]! - y[i]!);
  return sum / x.length;
}

/**
 * How different two pictures are in what they show, not in their tint: both in grey at 64 px,
 * each scaled to zero mean and unit spread, then the mean difference (0: the same picture, however
 * recoloured or brightened; about 1.1 for unrelated pictures).
 */
async function structuralDifference(a: Buffer, b: Buffer): Promise<number> {
  const normalised = async (bytes: Buffer) => {
    const grey = await sharp(bytes).resize(64, 64, { fit: "fill" }).greyscale().raw().toBuffer();
    const values = Array.from(grey);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    const spread = Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length) || 1;
    return values.map((value) => (value - mean) / spread);
  };
  const [x, y] = await Promise.all([normalised(a), normalised(b)]);
  return x.reduce((sum, value, i) => sum + Math.abs(value - y[i]!), 0) / x.length;
}

const distinct = <T>(values: T[]) => new Set(values.map((value) => JSON.stringify(value))).size;

describe("variant sets differ in what they test, and only in that", () => {
  for (const name of SETS) {
    const brand = BRANDS.find((candidate) => candidate.name === name)!;
    for (const format of FORMATS) {
      it(`${name}, ${format}: picture, copy, layout and everything sets`, async () => {
        for (const dimension of VARIANT_DIMENSION_IDS) {
          const set = await makeSet(brand, format, dimension);
          const where = (i: number) => `${name} ${format} ${dimension} #${i + 1}`;
          set.forEach((made, i) => expectShippable(made.report, made.design, where(i), uploads.get(name)!));

          const pictures = dimension === "picture" || dimension === "all";
          const copy = dimension === "copy" || dimension === "all";
          const layouts = dimension === "layout" || dimension === "all";

          // Pictures: clearly different scenes, or the very same one (a packshot's stage moves with
          // its layout: the same scene, built for where the product stands).
          const samePicture = !pictures && !(layouts && uploads.get(name)!.product);
          for (let i = 1; i < set.length; i++) {
            for (let j = 0; j < i; j++) {
              const apart = await difference(set[i]!.background, set[j]!.background);
              if (pictures) {
                expect(apart, `${where(i)} vs #${j + 1}: pictures in colour`).toBeGreaterThan(PICTURES_APART.colour);
                expect(await structuralDifference(set[i]!.background, set[j]!.background), `${where(i)} vs #${j + 1}: pictures in what they show`).toBeGreaterThan(PICTURES_APART.structure);
              }
              else if (samePicture) expect(apart, `${where(i)} vs #${j + 1}: one picture`).toBe(0);
            }
          }
          // Copy: four headlines (each variant's angle), or the marketer's own everywhere.
          const headlines = set.map((made) => made.design.headline);
          expect(distinct(headlines), `${name} ${format} ${dimension}: headlines ${headlines.join(" | ")}`).toBe(copy ? COUNT : 1);
          if (!copy) expect(headlines[0]).toBe(brand.design.headline);
          // Layout: the headline in four places, or in one.
          expect(distinct(set.map((made) => made.layout)), `${name} ${format} ${dimension}: layouts`).toBe(layouts ? COUNT : 1);
          expect(distinct(set.map((made) => made.report.headline.box)), `${name} ${format} ${dimension}: where the headline is`).toBe(layouts || copy ? COUNT : 1);
          // Never one ad four times: every pair of finished ads looks different.
          for (let i = 1; i < set.length; i++) {
            for (let j = 0; j < i; j++) expect(await difference(set[i]!.ad, set[j]!.ad), `${where(i)} vs #${j + 1}: finished ads`).toBeGreaterThan(1);
          }
        }
      });
    }
  }
});
