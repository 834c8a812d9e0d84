import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { AD_FORMAT_IDS } from "@/lib/ad-formats";
import { COPY_LIMITS, DEFAULT_DESIGN, designSchema, LAYOUT_IDS } from "@/lib/design";
import { composeCreative } from "@/lib/server/compositing/compositor";

/**
 * Copy as long as the form lets it be is set whole, on every format and layout: every word of the
 * headline, subline and call to action, the button around its text, the brand name whole. Wide
 * letters (W, M) make it the hardest copy of that length to set.
 */

const WORDS = "Wide Mountain Waves Make Marathon Mornings Worth Waking Up Early For Whatever Weather Comes Your Way Mile After Mile".split(" ");

/** Real words up to exactly `length` characters (the last one padded), so wrapping happens at word boundaries. */
function copyOf(length: number): string {
  let text = "";
  for (const word of [...WORDS, ...WORDS, ...WORDS]) {
    if (`${text} ${word}`.trim().length > length) break;
    text = `${text} ${word}`.trim();
  }
  return text.length === length ? text : `${text} ${"W".repeat(Math.max(1, length - text.length - 1))}`.slice(0, length);
}

let background: Buffer;
beforeAll(async () => {
  background = await sharp({ create: { width: 1024, height: 1024, channels: 3, background: "#7a7a7a" } }).png().toBuffer();
});

describe("copy at its limits", () => {
  const design = { ...DEFAULT_DESIGN, brandName: copyOf(COPY_LIMITS.brandName), headline: copyOf(COPY_LIMITS.headline), subline: copyOf(COPY_LIMITS.subline), cta: copyOf(COPY_LIMITS.cta) };

  it("is copy the form and the API accept, exactly at each limit", () => {
    expect([design.brandName.length, design.headline.length, design.subline.length, design.cta.length]).toEqual([COPY_LIMITS.brandName, COPY_LIMITS.headline, COPY_LIMITS.subline, COPY_LIMITS.cta]);
    expect(designSchema.safeParse(design).success).toBe(true);
    expect(designSchema.safeParse({ ...design, cta: `${design.cta}s` }).success).toBe(false);
  });

  for (const format of AD_FORMAT_IDS) {
    it(`is set whole in every layout of ${format}: no word cut or dropped, the call to action inside its button`, async () => {
      for (const layout of LAYOUT_IDS) {
        const { report } = await composeCreative({ background, format, design: { ...design, layout }, logo: null }, { encoding: "png" });
        const where = `${format} ${layout}`;
        expect(report.headline.lines.join(" "), where).toBe(design.headline);
        expect(report.subline?.lines.join(" "), where).toBe(design.subline);
        expect(report.cta.lines.join(" "), where).toBe(design.cta);
        expect(report.wordmark?.lines.join(" "), where).toBe(design.brandName);
        const { box, button } = report.cta;
        expect(box.x >= button.x && box.x + box.width <= button.x + button.width, `${where}: the call to action inside its button`).toBe(true);
      }
    });
  }
});
