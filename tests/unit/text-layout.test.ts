import { describe, expect, it } from "vitest";
import { contrastRatio, legibleTextOnSolid, luminance } from "@/lib/server/compositing/contrast";
import { fitText, wrapWords } from "@/lib/server/compositing/text-layout";

// A monospace stand-in: every character is 0.6 em wide.
const measure = (text: string, size: number) => text.length * size * 0.6;

describe("fitText", () => {
  it("keeps the largest size that fits", () => {
    const fitted = fitText("Short", { width: 1000, height: 200 }, { maxFontSize: 80, minFontSize: 20, maxLines: 2, lineHeight: 1.2 }, measure)!;
    expect(fitted.fontSize).toBe(80);
    expect(fitted.lines).toEqual(["Short"]);
  });

  it("wraps long copy at word boundaries and shrinks until it fits the box", () => {
    const text = "Fresh cold brew delivered to your door every single morning";
    const fitted = fitText(text, { width: 400, height: 150 }, { maxFontSize: 80, minFontSize: 12, maxLines: 3, lineHeight: 1.2 }, measure)!;
    expect(fitted.lines.join(" ")).toBe(text);
    for (const line of fitted.lines) expect(measure(line, fitted.fontSize)).toBeLessThanOrEqual(400);
    expect(fitted.height).toBeLessThanOrEqual(150);
    expect(fitted.fontSize).toBeLessThan(80);
  });

  it("shrinks rather than cutting a long word", () => {
    const fitted = fitText("Supercalifragilisticexpialidocious", { width: 300, height: 100 }, { maxFontSize: 60, minFontSize: 20, maxLines: 2, lineHeight: 1.2 }, measure)!;
    expect(fitted.lines).toEqual(["Supercalifragilisticexpialidocious"]);
    expect(measure(fitted.lines[0]!, fitted.fontSize)).toBeLessThanOrEqual(300);
  });

  it("reports no fit instead of overflowing when nothing can fit", () => {
    expect(fitText("word", { width: 5, height: 5 }, { maxFontSize: 20, minFontSize: 10, maxLines: 1, lineHeight: 1 }, measure)).toBeNull();
    expect(wrapWords("toolongword", 10, 10, measure)).toBeNull();
  });
});

describe("contrast", () => {
  it("matches WCAG reference values", () => {
    expect(contrastRatio(luminance(255, 255, 255), luminance(0, 0, 0))).toBeCloseTo(21, 5);
    expect(contrastRatio(luminance(255, 255, 255), luminance(118, 118, 118))).toBeCloseTo(4.54, 2);
  });

  it("always finds a text colour of at least 4.5:1 on any solid colour", () => {
    for (let v = 0; v < 256; v += 15) {
      for (const colour of [[v, v, v], [v, 255 - v, 128], [255, v, 0]] as const) {
        expect(legibleTextOnSolid(colour).contrast).toBeGreaterThanOrEqual(4.5);
      }
    }
  });
});
