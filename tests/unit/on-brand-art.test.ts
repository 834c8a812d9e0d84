import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { AD_FORMAT_IDS, formatSize, outputSize, safeArea } from "@/lib/ad-formats";
import { DEFAULT_DESIGN, LAYOUT_IDS } from "@/lib/design";
import { artDirection } from "@/lib/server/compositing/art-direction";
import { planLayout, subjectRoom } from "@/lib/server/compositing/layouts";
import type { RenderOptions } from "@/lib/server/providers/builtin/options";
import { brandPalette } from "@/lib/server/providers/builtin/palettes";
import { renderAdBackground, sceneFocus } from "@/lib/server/providers/builtin/render";

const BASE: RenderOptions = {
  prompt: "Cold brew in a glass bottle",
  seed: 99,
  width: 1024,
  height: 1024,
  style: "photographic",
  tone: "energetic",
  productName: "Aurora Cold Brew",
  variant: 0,
};

function hue(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const d = max - Math.min(r, g, b);
  if (d === 0) return 0;
  const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return (h * 60 + 360) % 360;
}
const hueDistance = (a: number, b: number) => Math.min(Math.abs(a - b), 360 - Math.abs(a - b));

describe("on-brand art from the built-in renderer", () => {
  it("derives the palette from the brand's colours: its hues, not its flat colours", () => {
    for (const [primary, secondary] of [
      ["#1F2A44", "#F2B84B"],
      ["#1E7A46", "#F4D35E"],
      ["#7A1E5C", "#2EC4B6"],
    ] as const) {
      for (let variant = 0; variant < 4; variant++) {
        const palette = brandPalette(primary, secondary, variant);
        expect(hueDistance(hue(palette.deep), hue(primary)), `${primary} deep`).toBeLessThanOrEqual(15);
        expect(hueDistance(hue(palette.mid), hue(primary)), `${primary} mid`).toBeLessThanOrEqual(25);
        expect(hueDistance(hue(palette.accent), hue(secondary)), `${secondary} accent`).toBeLessThanOrEqual(3);
        // Harmonious, not identical: none of the scene's colours is the brand colour itself.
        expect(Object.values(palette)).not.toContain(primary.toLowerCase());
      }
    }
  });

  it("paints a green brand's picture green and a navy brand's picture blue", async () => {
    const meanColour = async (primary: string, secondary: string) => {
      const png = await renderAdBackground({ ...BASE, brand: { primary, secondary } });
      const { channels } = await sharp(png).stats();
      return channels.map((channel) => channel.mean) as [number, number, number];
    };
    const [green, navy] = await Promise.all([meanColour("#1E7A46", "#A7D676"), meanColour("#1F2A44", "#6C8EBF")]);
    expect(green[1]).toBeGreaterThan(green[0]);
    expect(green[1]).toBeGreaterThan(green[2]);
    expect(navy[2]).toBeGreaterThan(navy[0]);
    expect(navy[2]).toBeGreaterThan(navy[1]);
  });

  it("leaves room for the subject clear of every layout's copy, in every format", () => {
    for (const format of AD_FORMAT_IDS) {
      const canvas = outputSize(format);
      const safe = safeArea(format);
      for (const layout of LAYOUT_IDS) {
        const room = subjectRoom(layout, canvas, safe);
        const plan = planLayout(layout, canvas, safe);
        expect(room.width, `${format}/${layout} width`).toBeGreaterThan(canvas.width * 0.15);
        expect(room.height, `${format}/${layout} height`).toBeGreaterThan(canvas.height * 0.12);
        for (const copy of [plan.panel, plan.text].filter(Boolean) as { x: number; y: number; width: number; height: number }[]) {
          const overlap = room.x < copy.x + copy.width && copy.x < room.x + room.width && room.y < copy.y + copy.height && copy.y < room.y + room.height;
          expect(overlap, `${format}/${layout}: the subject's room overlaps the copy`).toBe(false);
        }
      }
    }
  });

  it("draws its subject inside that room for every layout × format and every image of a batch", () => {
    for (const format of AD_FORMAT_IDS) {
      const size = formatSize(format);
      for (const layout of LAYOUT_IDS) {
        const { brand, room } = artDirection({ ...DEFAULT_DESIGN, layout }, format);
        for (let variant = 0; variant < 8; variant++) {
          const focus = sceneFocus({ ...BASE, ...size, variant, brand, room });
          const where = `${format}/${layout}/${variant}`;
          expect(focus.x / size.width, `${where} x`).toBeGreaterThanOrEqual(room.x);
          expect(focus.x / size.width, `${where} x`).toBeLessThanOrEqual(room.x + room.width);
          expect(focus.y / size.height, `${where} y`).toBeGreaterThanOrEqual(room.y);
          expect(focus.y / size.height, `${where} y`).toBeLessThanOrEqual(room.y + room.height);
        }
      }
    }
  });
});
