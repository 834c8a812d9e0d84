// Renders one creative per format × layout with the built-in renderer, the default brand kit and a
// sample packshot, into docs/creatives/, and the contact sheet of them all into docs/contact-sheet.jpg;
// then a set of four of each kind (picture, copy angle, layout, everything) into docs/variant-sets.jpg.
// Usage: npm run contact-sheet
import { mkdirSync } from "node:fs";
import sharp from "sharp";
import { AD_FORMAT_IDS, AD_FORMATS, formatSize } from "@/lib/ad-formats";
import { DEFAULT_BRIEF } from "@/lib/campaign";
import { DEFAULT_DESIGN, LAYOUT_IDS, LAYOUTS } from "@/lib/design";
import { creativeDesign, VARIANT_DIMENSION_IDS, VARIANT_DIMENSIONS } from "@/lib/variants";
import { buildPrompts, imageSeed } from "@/lib/server/generation/prompts";
import { planCreativeVariants } from "@/lib/server/use-cases/plan-variants";
import { normaliseProduct } from "@/lib/server/branding/product-image";
import { artDirection } from "@/lib/server/compositing/art-direction";
import { composeCreative } from "@/lib/server/compositing/compositor";
import { renderAdBackground } from "@/lib/server/providers/builtin/render";

const OUT = "docs/creatives";
const TILE = 300;

/** A cold-brew bottle on a white studio background, drawn as SVG: what a marketer would upload. */
const PACKSHOT_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="900" viewBox="0 0 600 900">
  <rect width="600" height="900" fill="#ffffff"/>
  <defs>
    <linearGradient id="glass" x1="0" x2="1"><stop offset="0" stop-color="#2a160c"/><stop offset="0.45" stop-color="#5a3520"/><stop offset="1" stop-color="#1c0e07"/></linearGradient>
    <linearGradient id="label" x1="0" x2="1"><stop offset="0" stop-color="#e8a93a"/><stop offset="0.5" stop-color="#f6cd6e"/><stop offset="1" stop-color="#d9962a"/></linearGradient>
  </defs>
  <rect x="255" y="90" width="90" height="60" rx="10" fill="#1f2a44"/>
  <path d="M265 150 h70 v90 q0 40 45 80 q20 20 20 60 v360 q0 40 -40 40 h-120 q-40 0 -40 -40 v-360 q0 -40 20 -60 q45 -40 45 -80 z" fill="url(#glass)"/>
  <rect x="220" y="470" width="160" height="190" rx="8" fill="url(#label)"/>
  <rect x="245" y="540" width="110" height="14" rx="7" fill="#1f2a44"/>
  <rect x="265" y="568" width="70" height="10" rx="5" fill="#1f2a44" opacity="0.7"/>
  <path d="M250 300 q-10 30 -8 80 v260" stroke="#ffffff" stroke-opacity="0.25" stroke-width="14" fill="none" stroke-linecap="round"/>
</svg>`;

mkdirSync(OUT, { recursive: true });
const product = await normaliseProduct(await sharp(Buffer.from(PACKSHOT_SVG)).jpeg({ quality: 95 }).toBuffer());
if (!product.ok) throw new Error(product.error);

const rows: Buffer[][] = [];
for (const format of AD_FORMAT_IDS) {
  const row: Buffer[] = [];
  for (const layout of LAYOUT_IDS) {
    const design = { ...DEFAULT_DESIGN, layout, productId: "packshot" };
    const background = await renderAdBackground({
      prompt: "Aurora Cold Brew on a studio stage",
      seed: 20261125,
      ...formatSize(format),
      style: "photographic",
      tone: "energetic",
      productName: "Aurora Cold Brew",
      variant: LAYOUT_IDS.indexOf(layout),
      ...artDirection(design, format, { width: product.width, height: product.height }),
    });
    const { bytes } = await composeCreative({ background, backgroundKey: `${format}-${layout}`, format, design, logo: null, product: product.png }, { encoding: "png" });
    const { width } = AD_FORMATS[format];
    await sharp(bytes).resize(Math.round(width / 2)).jpeg({ quality: 80, mozjpeg: true }).toFile(`${OUT}/${format}--${layout}.jpg`);
    row.push(await sharp(bytes).resize(TILE, TILE, { fit: "contain", background: "#f6f5f2" }).png().toBuffer());
    console.log(`${AD_FORMATS[format].label} × ${LAYOUTS[layout]}`);
  }
  rows.push(row);
}

const gap = 12;
const sheet = sharp({ create: { width: LAYOUT_IDS.length * (TILE + gap) + gap, height: rows.length * (TILE + gap) + gap, channels: 3, background: "#f6f5f2" } });
await sheet
  .composite(rows.flatMap((row, r) => row.map((input, c) => ({ input, left: gap + c * (TILE + gap), top: gap + r * (TILE + gap) }))))
  .jpeg({ quality: 82, mozjpeg: true })
  .toFile("docs/contact-sheet.jpg");
console.log("saved docs/contact-sheet.jpg and docs/creatives/");

// Variant sets as a run makes them: one prompt and seed per scene, the offline copy writer's angles.
const setRows: Buffer[][] = [];
const format = "instagram-square";
for (const dimension of VARIANT_DIMENSION_IDS) {
  const design = { ...DEFAULT_DESIGN, productId: "packshot" };
  const planned = await planCreativeVariants({}, { brief: DEFAULT_BRIEF, design, format, dimension, count: 4 });
  const scenes = buildPrompts(DEFAULT_BRIEF, { count: planned.pictures, seed: 20261205, format, design });
  const row: Buffer[] = [];
  for (const [index, variant] of planned.variants.entries()) {
    const own = creativeDesign({ ...design, layout: planned.layouts[index] ?? design.layout }, variant);
    const background = await renderAdBackground({
      prompt: scenes.prompts[variant.picture - 1]!,
      seed: imageSeed(20261205, variant.picture - 1),
      ...formatSize(format),
      style: DEFAULT_BRIEF.style,
      tone: DEFAULT_BRIEF.tone,
      productName: DEFAULT_BRIEF.productName,
      variant: variant.picture - 1,
      ...artDirection(own, format, { width: product.width, height: product.height }),
    });
    const { bytes } = await composeCreative({ background, format, design: own, logo: null, product: product.png }, { encoding: "png" });
    const label = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${TILE}" height="28"><text x="2" y="19" font-family="DejaVu Sans, sans-serif" font-size="14" fill="#333">${variant.label.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</text></svg>`);
    row.push(await sharp({ create: { width: TILE, height: TILE + 28, channels: 3, background: "#f6f5f2" } }).composite([{ input: await sharp(bytes).resize(TILE, TILE).png().toBuffer(), top: 0, left: 0 }, { input: label, top: TILE, left: 0 }]).png().toBuffer());
  }
  console.log(`Variant set: ${VARIANT_DIMENSIONS[dimension]}`);
  setRows.push(row);
}
const rowHeight = TILE + 28;
await sharp({ create: { width: 4 * (TILE + gap) + gap, height: setRows.length * (rowHeight + gap) + gap, channels: 3, background: "#f6f5f2" } })
  .composite(setRows.flatMap((row, r) => row.map((input, c) => ({ input, left: gap + c * (TILE + gap), top: gap + r * (rowHeight + gap) }))))
  .jpeg({ quality: 82, mozjpeg: true })
  .toFile("docs/variant-sets.jpg");
console.log("saved docs/variant-sets.jpg");
