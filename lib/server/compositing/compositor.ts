import "server-only";
import { createCanvas, ImageData, loadImage, type Image, type SKRSContext2D } from "@napi-rs/canvas";
import { safeArea, type AdFormatId } from "@/lib/ad-formats";
import type { LayoutId } from "@/lib/design";
import { legibleTextOnSolid, legibleTextOver, parseHex, toHex, type Rect, type Rgb } from "./contrast";
import { ensureFonts, font } from "./fonts";
import { planLayout, type LayoutPlan } from "./layouts";
import { productPlacement } from "./product-placement";
import { logoBackdrop } from "./logo-contrast";
import { fitText, type FittedText } from "./text-layout";
import { TYPOGRAPHY } from "./typography";
import { encodeCreative } from "./encode-creative";
import { fittedBackground } from "./fitted-background";
import type { ComposeInput, ComposeOptions, Composite } from "./compose-types";

export type { ComposeInput, ComposeOptions, ComposeReport, Composite, TextReport } from "./compose-types";

/** The pixels of a region as drawn so far (clamped to the canvas). */
function regionPixels(scene: SKRSContext2D, rect: Rect): ImageData {
  const x = Math.max(0, Math.floor(rect.x));
  const y = Math.max(0, Math.floor(rect.y));
  const w = Math.max(1, Math.min(scene.canvas.width - x, Math.ceil(rect.width)));
  const h = Math.max(1, Math.min(scene.canvas.height - y, Math.ceil(rect.height)));
  return scene.getImageData(x, y, w, h);
}

/** An image's pixels at the size it will be drawn. */
function pixelsOf(image: Image, size: { width: number; height: number }): Uint8ClampedArray {
  const canvas = createCanvas(Math.max(1, size.width), Math.max(1, size.height));
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  return context.getImageData(0, 0, canvas.width, canvas.height).data;
}

/** Reads the pixels of a region as drawn so far, to choose legible text for what is really there. */
function legibleOverRegion(scene: SKRSContext2D, rect: Rect): ReturnType<typeof legibleTextOver> {
  const region = regionPixels(scene, rect);
  return legibleTextOver(region.data, region.width, { x: 0, y: 0, width: region.width, height: region.height });
}

/**
 * Lays the brand kit and copy over a picture at the platform's exact size. Re-running it with a
 * new design never calls the model: it starts again from the kept raw background.
 */
export async function composeCreative(input: ComposeInput, options: ComposeOptions = {}): Promise<Composite> {
  ensureFonts();
  const layers = options.layers ?? "all";
  const background = await fittedBackground(input);
  const { width, height } = background;
  const safe = safeArea(input.format);
  const plan = planLayout(input.design.layout, { width, height }, safe, Boolean(input.product));
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext("2d");
  const drawShapes = layers !== "text-only";
  const drawText = layers !== "no-text";

  // What the copy will sit on: the picture, then the brand panel if the layout has one. When only
  // the copy is drawn (a test layer), a separate scene still decides the colours the same way.
  const primary = parseHex(input.design.primaryColor);
  const scene = drawShapes ? ctx : createCanvas(width, height).getContext("2d");
  background.paint(scene);
  // The product stands where the layout leaves the picture free, under everything else.
  const productRect = input.product ? await drawProduct(scene, input.product, input.design.layout, input.format, plan.scale) : undefined;
  if (plan.panel) {
    scene.fillStyle = input.design.primaryColor;
    roundRect(scene, plan.panel, plan.panel.radius);
    scene.fill();
  }

  // Fit the copy.
  const measure = (weight: 400 | 600 | 800) => (text: string, size: number) => {
    ctx.font = font(weight, size);
    return ctx.measureText(text).width;
  };
  const s = plan.scale;
  const { headline: h, subline: sub, cta: ctaType } = TYPOGRAPHY;
  const headlineFit =
    fitText(input.design.headline, { width: plan.text.width, height: plan.text.height * h.share }, { maxFontSize: Math.round(h.maxSize * s), minFontSize: Math.round(h.minSize * s), maxLines: h.maxLines, lineHeight: h.lineHeight }, measure(h.weight)) ??
    fitText(input.design.headline, { width: plan.text.width, height: plan.text.height }, { maxFontSize: Math.round(h.small.maxSize * s), minFontSize: h.small.minSizePx, maxLines: h.small.maxLines, lineHeight: h.lineHeight }, measure(h.weight));
  if (!headlineFit) throw new Error("headline cannot fit the layout");
  const gap = Math.round(TYPOGRAPHY.gap * s);
  const sublineRoom = plan.text.height - headlineFit.height - gap;
  const sublineFit =
    input.design.subline && sublineRoom > 14
      ? fitText(input.design.subline, { width: plan.text.width, height: sublineRoom }, { maxFontSize: Math.round(sub.maxSize * s), minFontSize: Math.round(sub.minSize * s), maxLines: sub.maxLines, lineHeight: sub.lineHeight }, measure(sub.weight))
      : null;
  const blockHeight = headlineFit.height + (sublineFit && sublineFit.lines.length ? gap + sublineFit.height : 0);
  const blockTop =
    plan.verticalAlign === "top" ? plan.text.y : plan.verticalAlign === "bottom" ? plan.text.y + plan.text.height - blockHeight : plan.text.y + (plan.text.height - blockHeight) / 2;
  const blockWidth = Math.max(headlineFit.width, sublineFit?.width ?? 0);
  const blockX = plan.textAlign === "center" ? plan.text.x + (plan.text.width - blockWidth) / 2 : plan.text.x;
  const textRect: Rect = { x: blockX, y: blockTop, width: blockWidth, height: blockHeight };

  // Pick text colour (and a scrim if needed) from the actual pixels behind the copy.
  let textColor: Rgb;
  let contrast: number;
  let scrim: (Rect & { alpha: number }) | undefined;
  if (plan.panel) {
    ({ color: textColor, contrast } = legibleTextOnSolid(primary));
  } else {
    const pad = Math.round(20 * s);
    const area = expand(textRect, pad, width, height);
    const legible = legibleOverRegion(scene, area);
    textColor = legible.color;
    contrast = legible.contrast;
    if (legible.scrim) {
      scrim = { ...area, alpha: legible.scrim.alpha };
      scene.fillStyle = `rgba(${legible.scrim.color.join(",")},${legible.scrim.alpha})`;
      roundRect(scene, area, Math.round(16 * s));
      scene.fill();
    }
  }

  const headline = drawBlock(ctx, headlineFit, h.weight, blockX, blockTop, plan.textAlign, blockWidth, textColor, drawText);
  const subline = sublineFit && sublineFit.lines.length
    ? drawBlock(ctx, sublineFit, sub.weight, blockX, blockTop + headlineFit.height + gap, plan.textAlign, blockWidth, textColor, drawText)
    : undefined;

  // CTA button in the secondary colour, text colour by contrast with it.
  const secondary = parseHex(input.design.secondaryColor);
  const ctaSize = Math.round(ctaType.size * s);
  const ctaFit = fitText(input.design.cta, { width: plan.cta.maxWidth - Math.round(72 * s), height: ctaSize * 1.3 }, { maxFontSize: ctaSize, minFontSize: Math.round(ctaType.minSize * s), maxLines: 1, lineHeight: ctaType.lineHeight }, measure(ctaType.weight));
  const ctaLines = ctaFit ?? { lines: [input.design.cta], fontSize: Math.round(18 * s), lineHeight: Math.round(22 * s), width: plan.cta.maxWidth, height: Math.round(22 * s) };
  const button = {
    width: Math.round(ctaLines.width + 72 * s),
    height: Math.round(ctaLines.fontSize * 1.2 + 44 * s),
  };
  const buttonX = plan.cta.anchor === "left" ? plan.cta.x : plan.cta.anchor === "center" ? plan.cta.x - button.width / 2 : plan.cta.x - button.width;
  const buttonY = plan.cta.baselineFrom === "bottom" ? plan.cta.y - button.height : plan.cta.y;
  const buttonRect = { x: Math.round(buttonX), y: Math.round(buttonY), width: button.width, height: button.height };
  const ctaText = legibleTextOnSolid(secondary);
  if (drawShapes) {
    ctx.fillStyle = input.design.secondaryColor;
    roundRect(ctx, buttonRect, button.height / 2);
    ctx.fill();
  }
  const ctaTop = buttonRect.y + (buttonRect.height - ctaLines.lineHeight) / 2;
  const cta = drawBlock(ctx, ctaLines, ctaType.weight, buttonRect.x, ctaTop, "center", buttonRect.width, ctaText.color, drawText);

  // Logo (or wordmark) where the layout puts it.
  const { rect: logoRect, wordmark, logoContrast, logoPlate } = await drawLogo(ctx, scene, input, plan, plan.panel ? legibleTextOnSolid(primary).color : undefined, drawShapes, drawText);

  const encoded = await encodeCreative(canvas, options);
  return {
    ...encoded,
    report: {
      width,
      height,
      safe,
      logo: logoRect,
      logoContrast,
      logoPlate,
      product: productRect,
      wordmark,
      headline: { ...headline, color: toHex(textColor), contrast },
      subline: subline ? { ...subline, color: toHex(textColor), contrast } : undefined,
      cta: { ...cta, color: toHex(ctaText.color), contrast: ctaText.contrast, button: buttonRect },
      scrim,
    },
  };
}

function drawBlock(
  ctx: SKRSContext2D,
  fitted: FittedText,
  weight: 400 | 600 | 800,
  x: number,
  top: number,
  align: "left" | "center" | "right",
  blockWidth: number,
  color: Rgb,
  draw: boolean,
): { box: Rect; lines: string[]; fontSize: number } {
  ctx.font = font(weight, fitted.fontSize);
  ctx.fillStyle = toHex(color);
  ctx.textBaseline = "alphabetic";
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  fitted.lines.forEach((line, i) => {
    const metrics = ctx.measureText(line);
    const lineX = align === "center" ? x + (blockWidth - metrics.width) / 2 : align === "right" ? x + blockWidth - metrics.width : x;
    // Centre the glyphs' ascent+descent within the line box.
    const ascent = metrics.fontBoundingBoxAscent || fitted.fontSize * 0.9;
    const descent = metrics.fontBoundingBoxDescent || fitted.fontSize * 0.25;
    const baseline = top + i * fitted.lineHeight + (fitted.lineHeight - (ascent + descent)) / 2 + ascent;
    if (draw) ctx.fillText(line, lineX, baseline);
    minX = Math.min(minX, lineX - metrics.actualBoundingBoxLeft);
    maxX = Math.max(maxX, lineX + metrics.actualBoundingBoxRight);
    minY = Math.min(minY, baseline - metrics.actualBoundingBoxAscent);
    maxY = Math.max(maxY, baseline + metrics.actualBoundingBoxDescent);
  });
  const box = fitted.lines.length ? { x: minX, y: minY, width: maxX - minX, height: maxY - minY } : { x, y: top, width: 0, height: 0 };
  return { box, lines: fitted.lines, fontSize: fitted.fontSize };
}

async function drawLogo(
  ctx: SKRSContext2D,
  scene: SKRSContext2D,
  input: ComposeInput,
  plan: LayoutPlan,
  colorOnPanel: Rgb | undefined,
  drawShapes: boolean,
  drawText: boolean,
): Promise<{ rect: Rect; wordmark?: { lines: string[]; fontSize: number }; logoContrast?: number; logoPlate?: Rect }> {
  const align = plan.logoAlign;
  const place = (slot: Rect, width: number) => Math.round(align === "center" ? slot.x + (slot.width - width) / 2 : align === "right" ? slot.x + slot.width - width : slot.x);
  if (input.logo) {
    const image = await loadImage(input.logo);
    const fitIn = (slot: Rect) => {
      const scale = Math.min(slot.width / image.width, slot.height / image.height);
      const w = Math.round(image.width * scale);
      const h = Math.round(image.height * scale);
      return { x: place(slot, w), y: slot.y, width: w, height: h };
    };
    let rect = fitIn(plan.logo);
    const seen = logoBackdrop(pixelsOf(image, rect), regionPixels(scene, rect).data);
    if (!seen.plate) {
      if (drawShapes) ctx.drawImage(image, rect.x, rect.y, rect.width, rect.height);
      return { rect, logoContrast: seen.contrast };
    }
    // Not visible on its own: the logo, a little smaller, on a plate that stays inside its slot.
    const pad = Math.round(plan.logo.height * 0.14);
    const inner = fitIn({ x: plan.logo.x + pad, y: plan.logo.y + pad, width: plan.logo.width - 2 * pad, height: plan.logo.height - 2 * pad });
    rect = { ...inner, x: align === "left" ? plan.logo.x + pad : align === "right" ? plan.logo.x + plan.logo.width - pad - inner.width : inner.x };
    const plate = { x: rect.x - pad, y: rect.y - pad, width: rect.width + 2 * pad, height: rect.height + 2 * pad };
    if (drawShapes) {
      ctx.fillStyle = toHex(seen.plate);
      roundRect(ctx, plate, pad);
      ctx.fill();
      ctx.drawImage(image, rect.x, rect.y, rect.width, rect.height);
    }
    return { rect, logoContrast: seen.contrast, logoPlate: plate };
  }
  // No logo uploaded: the brand name as a wordmark, legible on whatever is behind it. One size per
  // format in every layout; a long name shrinks (to 60%), then wraps, and never leaves its slot.
  const slot = plan.wordmark;
  const size = Math.round(WORDMARK_SIZE * plan.scale);
  const fitted = fitText(input.design.brandName, slot, { maxFontSize: size, minFontSize: Math.round(size * 0.6), maxLines: 1, lineHeight: 1.15 }, (text, fontSize) => {
    ctx.font = font(800, fontSize);
    return ctx.measureText(text).width;
  });
  if (!fitted) return { rect: { ...slot, width: 0, height: 0 } };
  const x = place(slot, fitted.width);
  const area = { x, y: slot.y, width: fitted.width, height: fitted.height };
  let color = colorOnPanel;
  if (!color) {
    const backdrop = expand(area, 12, scene.canvas.width, scene.canvas.height);
    const legible = legibleOverRegion(scene, backdrop);
    color = legible.color;
    if (legible.scrim) {
      scene.fillStyle = `rgba(${legible.scrim.color.join(",")},${legible.scrim.alpha})`;
      roundRect(scene, backdrop, 10);
      scene.fill();
    }
  }
  const drawn = drawBlock(ctx, fitted, 800, x, slot.y, align, fitted.width, color, drawText);
  return { rect: drawn.box, wordmark: { lines: drawn.lines, fontSize: drawn.fontSize } };
}

/** The wordmark's font size at 1080 px (scaled with the format). */
const WORDMARK_SIZE = 40;

/**
 * Stands the product where `productPlacement` puts it (outside the copy, inside the safe zone) on
 * a soft elliptical shadow: the packshot's own pixels, also over a scene an editing model built
 * around it. Returns the product's rectangle.
 */
async function drawProduct(ctx: SKRSContext2D, png: Buffer, layout: LayoutId, format: AdFormatId, scale: number): Promise<Rect> {
  const image = await loadImage(png);
  const { x, y, width, height } = productPlacement(layout, format, image);
  const base = y + height;
  const shadowWidth = width * 0.9;
  const shadowHeight = Math.max(6 * scale, height * 0.07);
  const cx = x + width / 2;
  const cy = base - shadowHeight * 0.2;
  ctx.save();
  ctx.translate(cx, cy);
  ctx.scale(1, shadowHeight / shadowWidth);
  const shadow = ctx.createRadialGradient(0, 0, 0, 0, 0, shadowWidth / 2);
  shadow.addColorStop(0, "rgba(0,0,0,0.42)");
  shadow.addColorStop(0.6, "rgba(0,0,0,0.16)");
  shadow.addColorStop(1, "rgba(0,0,0,0)");
  ctx.fillStyle = shadow;
  ctx.beginPath();
  ctx.arc(0, 0, shadowWidth / 2, 0, Math.PI * 2);
  ctx.fill();
  ctx.restore();
  ctx.drawImage(image, x, y, width, height);
  return { x, y, width, height };
}

function expand(rect: Rect, by: number, maxWidth: number, maxHeight: number): Rect {
  const x = Math.max(0, rect.x - by);
  const y = Math.max(0, rect.y - by);
  return { x, y, width: Math.min(maxWidth - x, rect.width + by * 2), height: Math.min(maxHeight - y, rect.height + by * 2) };
}

function roundRect(ctx: SKRSContext2D, rect: Rect, radius: number): void {
  ctx.beginPath();
  ctx.roundRect(rect.x, rect.y, rect.width, rect.height, Math.min(radius, rect.height / 2, rect.width / 2));
}

