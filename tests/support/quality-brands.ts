/**
 * The quality suite's brands (#22): twelve a marketer might bring (light and dark colours, a logo
 * in the brand's own colour, long and short copy, with and without a packshot), their uploads,
 * and the rules an ad must meet to ship. Shared by the per-ad and the variant-set suites.
 */
import sharp from "sharp";
import { expect } from "vitest";
import type { Design } from "@/lib/design";
import type { ComposeReport } from "@/lib/server/compositing/compositor";
import type { Rect } from "@/lib/server/compositing/contrast";

export interface Brand {
  name: string;
  design: Omit<Design, "layout" | "logoId" | "productId">;
  /** The logo's colour (a bar in it), or none: the brand name as a wordmark. */
  logo?: string;
  /** A packshot: a cut-out of this colour. */
  product?: string;
  style: "photographic" | "minimalist" | "illustration" | "luxury" | "retro" | "3d-render";
}

export const BRANDS: Brand[] = [
  { name: "running shoes", style: "photographic", logo: "#1F2A44", product: "#E63946", design: { brandName: "Stride", primaryColor: "#1F2A44", secondaryColor: "#F2B84B", headline: "Race day, lighter", subline: "Featherweight foam that gives back every stride.", cta: "Shop the Racer" } },
  { name: "bakery", style: "illustration", logo: "#7B3F00", design: { brandName: "Crumb & Co", primaryColor: "#7B3F00", secondaryColor: "#F6E7C8", headline: "Baked every single morning before the city wakes up", subline: "Sourdough, croissants and rye from our ovens before sunrise, ready for pickup.", cta: "Order for pickup" } },
  { name: "B2B software", style: "minimalist", logo: "#FFFFFF", design: { brandName: "Ledgerly", primaryColor: "#0B3D91", secondaryColor: "#21C087", headline: "Close the books in a day", subline: "Automated reconciliation for finance teams of every size.", cta: "Book a demo" } },
  { name: "skincare", style: "luxury", product: "#F8C8DC", design: { brandName: "Lumière", primaryColor: "#F8E1E7", secondaryColor: "#8E3B5B", headline: "Glow that lasts all day", subline: "A light serum with vitamin C and hyaluronic acid.", cta: "Find your shade" } },
  { name: "coffee", style: "photographic", logo: "#3E2723", product: "#3E2723", design: { brandName: "Aurora", primaryColor: "#3E2723", secondaryColor: "#FFB300", headline: "Cold brew, done right", subline: "Small-batch, smooth and naturally sweet.", cta: "Shop now" } },
  { name: "fintech", style: "3d-render", logo: "#00C2A8", design: { brandName: "Penny", primaryColor: "#00C2A8", secondaryColor: "#111111", headline: "Your money, finally organised", subline: "Budgets that sort themselves. No spreadsheets, no stress.", cta: "Get the app" } },
  { name: "outdoor gear", style: "photographic", product: "#2E7D32", design: { brandName: "Ridgeline Outfitters", primaryColor: "#2E7D32", secondaryColor: "#FF6F00", headline: "Built for the long way round", subline: "Waterproof shells tested on three continents and every kind of weather.", cta: "Explore the range" } },
  { name: "fashion", style: "retro", logo: "#000000", design: { brandName: "NOIR", primaryColor: "#111111", secondaryColor: "#FFFFFF", headline: "The black edit", subline: "Forty pieces, one colour.", cta: "Shop the edit" } },
  { name: "kids toys", style: "3d-render", product: "#FFD600", design: { brandName: "Bloop", primaryColor: "#FFD600", secondaryColor: "#6200EA", headline: "Play that grows with them", subline: "Stackable, chewable, washable.", cta: "Meet the set" } },
  { name: "florist", style: "illustration", logo: "#C2185B", design: { brandName: "Petal Post", primaryColor: "#FCE4EC", secondaryColor: "#C2185B", headline: "Fresh flowers, at your door by nine", subline: "Seasonal bouquets wrapped by hand.", cta: "Send a bouquet" } },
  { name: "gym", style: "photographic", logo: "#FF1744", design: { brandName: "IRONHOUSE", primaryColor: "#212121", secondaryColor: "#FF1744", headline: "Stronger every week", subline: "Coached classes, open 24/7.", cta: "Start free week" } },
  { name: "travel", style: "minimalist", product: "#0288D1", design: { brandName: "Wayfare", primaryColor: "#E3F2FD", secondaryColor: "#0288D1", headline: "Somewhere warm, this weekend", subline: "Last-minute trips from your nearest airport.", cta: "See the deals" } },
];

export const barLogo = (colour: string) =>
  sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100"><rect x="20" y="25" width="260" height="50" rx="10" fill="${colour}"/></svg>`)).png().toBuffer();
export const cutOut = (colour: string) =>
  sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="240" height="360"><rect x="30" y="20" width="180" height="320" rx="40" fill="${colour}" stroke="#000" stroke-opacity="0.3" stroke-width="4"/></svg>`)).png().toBuffer();

export const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
export const inside = (inner: Rect, outer: Rect) => inner.x >= outer.x - 0.5 && inner.y >= outer.y - 0.5 && inner.x + inner.width <= outer.x + outer.width + 0.5 && inner.y + inner.height <= outer.y + outer.height + 0.5;

/**
 * Every word of the copy set, text 4.5:1, the logo 3:1 (or the name as a wordmark), the product
 * inside the safe zone, clear of the copy, and big enough to be seen: its longer side at least a
 * fifth of the ad's shorter side (a centred card once left a square's packshot a tenth of it).
 */
export function expectShippable(report: ComposeReport, design: Design, where: string, uploads: { logo: Buffer | null; product: Buffer | null }): void {
  expect(report.headline.lines.join(" "), where).toBe(design.headline);
  expect(report.subline?.lines.join(" "), where).toBe(design.subline);
  expect(report.cta.lines.join(" "), where).toBe(design.cta);
  for (const text of [report.headline, report.subline!, report.cta]) expect(text.contrast, `${where}: text contrast`).toBeGreaterThanOrEqual(4.5);
  if (uploads.logo) expect(report.logoContrast!, `${where}: logo contrast`).toBeGreaterThanOrEqual(3);
  else expect(report.wordmark?.lines.join(" "), `${where}: wordmark`).toBe(design.brandName);
  if (uploads.product) {
    const placed = report.product!;
    expect(inside(placed, report.safe), `${where}: product inside the safe zone`).toBe(true);
    for (const text of [report.headline.box, report.subline!.box, report.cta.button]) expect(overlaps(placed, text), `${where}: product under the copy`).toBe(false);
    expect(Math.max(placed.width, placed.height) / Math.min(report.width, report.height), `${where}: product big enough to see`).toBeGreaterThanOrEqual(0.2);
  }
}
