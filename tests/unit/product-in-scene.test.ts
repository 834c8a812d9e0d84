import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { AD_FORMAT_IDS, AD_FORMATS } from "@/lib/ad-formats";
import { DEFAULT_DESIGN, LAYOUT_IDS } from "@/lib/design";
import { composeCreative } from "@/lib/server/compositing/compositor";
import { productPlacement } from "@/lib/server/compositing/product-placement";
import { productReference } from "@/lib/server/compositing/product-reference";
import { openAiSize } from "@/lib/server/providers/openai/openai-models";

/**
 * The product in a generated scene, without a server: for every format and layout, and every
 * picture size an editing model answers with, the packshot shown to the model and the packshot
 * the compositor pastes back land on the same pixels. The "model" here keeps what it was shown but
 * with its colour turned, as real models drift; if the two places disagreed by even a few pixels,
 * a band of the drifted product would show beside the original.
 */

const RED = { r: 214, g: 40, b: 40 };
let product: Buffer;
let drifted: { r: number; g: number; b: number };

beforeAll(async () => {
  // A tall bottle-shaped cut-out: transparent around a red body.
  product = await sharp({ create: { width: 240, height: 520, channels: 4, background: { ...RED, alpha: 1 } } }).png().toBuffer();
  const turned = await sharp({ create: { width: 1, height: 1, channels: 3, background: RED } }).modulate({ hue: 90 }).raw().toBuffer();
  drifted = { r: turned[0]!, g: turned[1]!, b: turned[2]! };
});

async function countNear(bytes: Buffer, colour: { r: number; g: number; b: number }): Promise<number> {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let count = 0;
  for (let i = 0; i < data.length; i += info.channels) {
    if (Math.abs(data[i]! - colour.r) + Math.abs(data[i + 1]! - colour.g) + Math.abs(data[i + 2]! - colour.b) < 40) count++;
  }
  return count;
}

/** What an editing model answers: a scene (flat grey here) with the shown product redrawn, drifted. */
async function editedPicture(reference: Buffer, width: number, height: number): Promise<Buffer> {
  const redrawn = await sharp(reference).modulate({ hue: 90 }).png().toBuffer();
  return sharp({ create: { width, height, channels: 3, background: "#8a8f96" } }).composite([{ input: redrawn }]).png().toBuffer();
}

const MODELS = ["gpt-image-1.5", "gpt-image-2"] as const;

describe("the packshot shown to an editing model lands where the compositor pastes it back (#22)", () => {
  for (const model of MODELS) {
    for (const format of AD_FORMAT_IDS) {
      it(`${model}, ${format}: every layout`, async () => {
        const [width, height] = openAiSize(model, AD_FORMATS[format].model.width, AD_FORMATS[format].model.height).split("x").map(Number) as [number, number];
        for (const layout of LAYOUT_IDS) {
          const reference = await productReference(product, layout, format, { width, height });
          expect(reference.rect.width, `${layout}: the product is shown at a real size`).toBeGreaterThan(20);
          const picture = await editedPicture(reference.image, width, height);
          const { bytes, report } = await composeCreative(
            { background: picture, format, design: { ...DEFAULT_DESIGN, layout, productId: "p" }, logo: null, product },
            { encoding: "png", layers: "no-text" },
          );
          expect(report.product, layout).toEqual(productPlacement(layout, format, { width: 240, height: 520 }));
          const original = await countNear(bytes, RED);
          const ghost = await countNear(bytes, drifted);
          expect(original, `${layout}: the packshot's own red`).toBeGreaterThan(0.9 * report.product!.width * report.product!.height);
          // A pixel of rounding at the edges is all that may show of the model's version.
          expect(ghost / original, `${layout}: the model's redrawn product around the original`).toBeLessThan(0.03);
        }
      });
    }
  }
});
