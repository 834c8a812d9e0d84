import { describe, expect, it } from "vitest";
import { AD_FORMAT_IDS } from "@/lib/ad-formats";
import { DEFAULT_BRIEF } from "@/lib/campaign";
import { DEFAULT_DESIGN, LAYOUT_IDS } from "@/lib/design";
import { brandDirection, colourName, copySpacePhrase } from "@/lib/server/generation/brand-direction";
import { buildPrompts } from "@/lib/server/generation/prompts";

describe("colourName: a brand colour as a prompt says it", () => {
  it.each([
    ["#1F2A44", /navy blue/],
    ["#7B3F00", /brown/],
    ["#F2B84B", /amber|orange|yellow/],
    ["#E63946", /red/],
    ["#2A9D8F", /teal|green/],
    ["#FFFFFF", /^white$/],
    ["#111111", /^black$/],
    ["#8E8E8E", /grey/],
    ["#F8C8DC", /pink/],
    ["#6A0DAD", /purple|indigo/],
  ])("%s → %s", (hex, name) => {
    expect(colourName(hex)).toMatch(name);
  });
});

describe("copySpacePhrase: the part of the frame kept for the copy", () => {
  it("says where, from the room the layout leaves the picture", () => {
    expect(copySpacePhrase({ x: 0.05, y: 0.1, width: 0.9, height: 0.5 })).toMatch(/out of the lower (third|half) of the frame/);
    expect(copySpacePhrase({ x: 0.05, y: 0.45, width: 0.9, height: 0.5 })).toMatch(/out of the top (third|half)/);
    expect(copySpacePhrase({ x: 0.5, y: 0.05, width: 0.45, height: 0.9 })).toMatch(/out of the left half/);
    expect(copySpacePhrase({ x: 0.05, y: 0.05, width: 0.9, height: 0.9 })).toMatch(/uncluttered/);
  });

  it("names a place for every layout of every format", () => {
    for (const format of AD_FORMAT_IDS) {
      for (const layout of LAYOUT_IDS) {
        const { copySpace, colours } = brandDirection({ ...DEFAULT_DESIGN, layout }, format);
        expect(copySpace, `${format} ${layout}`).toMatch(/(lower|top|left|right) (third|half)/);
        expect(colours).toMatch(/navy blue/);
      }
    }
  });

  it("bottom band keeps the lower part free; top headline the top", () => {
    expect(brandDirection({ ...DEFAULT_DESIGN, layout: "bottom-band" }, "instagram-square").copySpace).toMatch(/lower/);
    expect(brandDirection({ ...DEFAULT_DESIGN, layout: "top-headline" }, "instagram-square").copySpace).toMatch(/top/);
  });
});

describe("buildPrompts with the brand", () => {
  it("names the brand's colours and the copy's room early in every prompt, and asks for no text", () => {
    const design = { ...DEFAULT_DESIGN, primaryColor: "#7B3F00", secondaryColor: "#F6E7C8", layout: "bottom-band" as const };
    const { prompts } = buildPrompts(DEFAULT_BRIEF, { count: 4, seed: 3, format: "instagram-square", design });
    for (const prompt of prompts) {
      expect(prompt).toMatch(/colour palette of [a-z ]*brown with [a-z ]+ accents/);
      expect(prompt).toMatch(/out of the lower (third|half) of the frame/);
      expect(prompt).toMatch(/no text, lettering or logos/);
      // Before the style and tone: within what CLIP-based models read.
      expect(prompt.indexOf("out of the lower")).toBeLessThan(prompt.indexOf("commercial product photography"));
      expect(prompt).not.toMatch(/#[0-9A-F]{6}/i);
    }
  });
});
