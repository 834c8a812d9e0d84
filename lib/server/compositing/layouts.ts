import "server-only";
import type { LayoutId } from "@/lib/design";
import type { Rect } from "./contrast";

/**
 * Where each layout puts its parts, given the canvas and the platform's safe area. Text boxes
 * are the space copy may use; the compositor fits the copy into them and reports what it drew.
 */
export interface LayoutPlan {
  /** An opaque brand-colour panel the copy sits on (absent: copy sits on the picture). */
  panel?: Rect & { radius: number };
  /** Where an uploaded logo goes (it keeps its proportions inside). */
  logo: Rect;
  /** Where the brand name goes when there is no logo: inside the safe zone, wide enough to wrap a long name. */
  wordmark: Rect;
  /** The side the logo or wordmark hugs (top-headline puts it in the bottom-right corner). */
  logoAlign: "left" | "center" | "right";
  /** Headline then subline are stacked inside this box, top-aligned unless `verticalAlign`. */
  text: Rect;
  textAlign: "left" | "center";
  verticalAlign: "top" | "bottom" | "center";
  cta: { x: number; y: number; maxWidth: number; anchor: "left" | "center" | "right"; baselineFrom: "top" | "bottom" };
  scale: number;
}

/** `withProduct`: a packshot will stand in the picture, so the layout leaves it room it can be seen in. */
export function planLayout(layout: LayoutId, canvas: { width: number; height: number }, safe: Rect, withProduct = false): LayoutPlan {
  const scale = Math.min(canvas.width, canvas.height) / 1080;
  const gap = Math.round(24 * scale);
  const logoHeight = Math.round(72 * scale);
  const ctaHeight = Math.round(84 * scale);
  const landscape = canvas.width / canvas.height >= 1.3;
  const wordmarkHeight = Math.round(80 * scale);

  switch (layout) {
    case "bottom-band": {
      // The band runs to the bottom edge; its copy stays inside the safe area.
      const contentHeight = Math.round(Math.min(safe.height * 0.42, (landscape ? 300 : 340) * scale));
      const bandTop = safe.y + safe.height - contentHeight - gap;
      return {
        panel: { x: 0, y: bandTop, width: canvas.width, height: canvas.height - bandTop, radius: 0 },
        logo: { x: safe.x, y: safe.y, width: Math.round(260 * scale), height: logoHeight },
        wordmark: { x: safe.x, y: safe.y, width: Math.round(safe.width * 0.6), height: wordmarkHeight },
        logoAlign: "left",
        text: { x: safe.x, y: bandTop + gap, width: safe.width, height: contentHeight - ctaHeight - gap },
        textAlign: "left",
        verticalAlign: "top",
        cta: { x: safe.x, y: safe.y + safe.height, maxWidth: safe.width, anchor: "left", baselineFrom: "bottom" },
        scale,
      };
    }
    case "top-headline": {
      const textHeight = Math.round(safe.height * (landscape ? 0.55 : 0.4));
      return {
        logo: { x: safe.x + safe.width - Math.round(260 * scale), y: safe.y + safe.height - logoHeight, width: Math.round(260 * scale), height: logoHeight },
        // Beside the call to action (which may take 55% of the width), flush with the right margin.
        wordmark: { x: safe.x + Math.round(safe.width * 0.58), y: safe.y + safe.height - wordmarkHeight, width: Math.round(safe.width * 0.42), height: wordmarkHeight },
        logoAlign: "right",
        text: { x: safe.x, y: safe.y, width: Math.round(safe.width * (landscape ? 0.7 : 1)), height: textHeight },
        textAlign: "left",
        verticalAlign: "top",
        cta: { x: safe.x, y: safe.y + safe.height, maxWidth: Math.round(safe.width * 0.55), anchor: "left", baselineFrom: "bottom" },
        scale,
      };
    }
    case "centered-card": {
      const width = Math.min(safe.width, Math.round((landscape ? 820 : 860) * scale));
      const height = Math.min(safe.height, Math.round((landscape ? 560 : 640) * scale));
      const x = Math.round(safe.x + (safe.width - width) / 2);
      // Centred, the card leaves a tall or square format two thin bands: a packshot in one would
      // be a thumbnail. With one, the card sits at the foot of the safe area and the product above it.
      const y = withProduct && !landscape ? safe.y + safe.height - height : Math.round(safe.y + (safe.height - height) / 2);
      const pad = Math.round(40 * scale);
      return {
        panel: { x, y, width, height, radius: Math.round(28 * scale) },
        logo: { x: x + pad, y: y + pad, width: width - pad * 2, height: logoHeight },
        wordmark: { x: x + pad, y: y + pad, width: width - pad * 2, height: logoHeight },
        logoAlign: "center",
        text: { x: x + pad, y: y + pad + logoHeight + gap, width: width - pad * 2, height: height - pad * 2 - logoHeight - ctaHeight - gap * 2 },
        textAlign: "center",
        verticalAlign: "center",
        cta: { x: x + width / 2, y: y + height - pad, maxWidth: width - pad * 2, anchor: "center", baselineFrom: "bottom" },
        scale,
      };
    }
    case "split": {
      if (landscape) {
        // Brand panel on the left; the picture keeps the right side.
        const panelWidth = Math.round(canvas.width * 0.46);
        const inner = { x: safe.x, y: safe.y, width: panelWidth - safe.x - gap * 2, height: safe.height };
        return {
          panel: { x: 0, y: 0, width: panelWidth, height: canvas.height, radius: 0 },
          logo: { x: inner.x, y: inner.y, width: Math.min(inner.width, Math.round(260 * scale)), height: logoHeight },
          wordmark: { x: inner.x, y: inner.y, width: inner.width, height: logoHeight },
          logoAlign: "left",
          text: { x: inner.x, y: inner.y + logoHeight + gap, width: inner.width, height: inner.height - logoHeight - ctaHeight - gap * 2 },
          textAlign: "left",
          verticalAlign: "center",
          cta: { x: inner.x, y: inner.y + inner.height, maxWidth: inner.width, anchor: "left", baselineFrom: "bottom" },
          scale,
        };
      }
      // Tall formats split horizontally: brand panel on top, picture below.
      const panelHeight = Math.round(safe.y + safe.height * 0.42);
      const inner = { x: safe.x, y: safe.y, width: safe.width, height: panelHeight - safe.y - gap };
      return {
        panel: { x: 0, y: 0, width: canvas.width, height: panelHeight, radius: 0 },
        logo: { x: inner.x, y: inner.y, width: Math.round(260 * scale), height: logoHeight },
        wordmark: { x: inner.x, y: inner.y, width: inner.width, height: logoHeight },
        logoAlign: "left",
        text: { x: inner.x, y: inner.y + logoHeight + gap, width: inner.width, height: inner.height - logoHeight - ctaHeight - gap * 2 },
        textAlign: "left",
        verticalAlign: "top",
        cta: { x: inner.x, y: inner.y + inner.height, maxWidth: inner.width, anchor: "left", baselineFrom: "bottom" },
        scale,
      };
    }
  }
}

/**
 * Where the picture's subject should sit so the copy does not cut it: the largest free band of
 * the canvas left by the layout's panel or text and its call to action. In canvas pixels.
 */
export function subjectRoom(layout: LayoutId, canvas: { width: number; height: number }, safe: Rect, withProduct = false): Rect {
  const plan = planLayout(layout, canvas, safe, withProduct);
  const margin = Math.round(24 * plan.scale);
  const ctaHeight = Math.round(84 * plan.scale);
  const bottomOfCopy = (rect: Rect) => rect.y + rect.height;
  switch (layout) {
    case "bottom-band": {
      const top = plan.wordmark.y + plan.wordmark.height + margin;
      return { x: safe.x, y: top, width: safe.width, height: plan.panel!.y - margin - top };
    }
    case "top-headline": {
      const top = bottomOfCopy(plan.text) + margin;
      return { x: safe.x, y: top, width: safe.width, height: safe.y + safe.height - ctaHeight - margin - top };
    }
    case "centered-card": {
      // The card sits in the middle: the larger of the bands beside it (wide formats) or above and below it.
      const card = plan.panel!;
      const bands: Rect[] = [
        { x: 0, y: 0, width: canvas.width, height: card.y - margin },
        { x: 0, y: card.y + card.height + margin, width: canvas.width, height: canvas.height - card.y - card.height - margin },
        { x: 0, y: 0, width: card.x - margin, height: canvas.height },
        { x: card.x + card.width + margin, y: 0, width: canvas.width - card.x - card.width - margin, height: canvas.height },
      ];
      return bands.reduce((best, band) => (band.width * band.height > best.width * best.height ? band : best));
    }
    case "split": {
      const panel = plan.panel!;
      return panel.height === canvas.height
        ? { x: panel.x + panel.width + margin, y: safe.y, width: canvas.width - panel.width - margin * 2, height: safe.height }
        : { x: safe.x, y: panel.height + margin, width: safe.width, height: canvas.height - panel.height - margin * 2 };
    }
  }
}
