/**
 * Platform ad formats. The model is asked for a size it was trained near (SDXL buckets,
 * multiples of 64); sharp then resizes and crops (attention-based) to the platform's exact size.
 * `safe` is where copy may go: platforms cover the rest with their own UI.
 */

export interface AdFormat {
  label: string;
  hint: string;
  /** Exact output size for the platform. */
  width: number;
  height: number;
  /** Size requested from the model. */
  model: { width: number; height: number };
  /** Insets from each edge that text and logos must stay out of. */
  safe: { top: number; right: number; bottom: number; left: number };
}

export const AD_FORMATS = {
  "instagram-square": {
    label: "Instagram square",
    hint: "1080×1080 feed post",
    width: 1080,
    height: 1080,
    model: { width: 1024, height: 1024 },
    safe: { top: 54, right: 54, bottom: 54, left: 54 },
  },
  "instagram-portrait": {
    label: "Instagram / Facebook portrait",
    hint: "1080×1350 feed post",
    width: 1080,
    height: 1350,
    model: { width: 896, height: 1152 },
    safe: { top: 68, right: 54, bottom: 68, left: 54 },
  },
  story: {
    label: "Story / Reel",
    hint: "1080×1920, text kept out of the top and bottom 250 px",
    width: 1080,
    height: 1920,
    model: { width: 768, height: 1344 },
    safe: { top: 250, right: 64, bottom: 250, left: 64 },
  },
  link: {
    label: "Facebook / LinkedIn link",
    hint: "1200×628 link ad",
    width: 1200,
    height: 628,
    model: { width: 1216, height: 640 },
    safe: { top: 32, right: 48, bottom: 32, left: 48 },
  },
  x: {
    label: "X (Twitter)",
    hint: "1600×900 post image",
    width: 1600,
    height: 900,
    model: { width: 1344, height: 768 },
    safe: { top: 45, right: 64, bottom: 45, left: 64 },
  },
} as const satisfies Record<string, AdFormat>;

export type AdFormatId = keyof typeof AD_FORMATS;
export const AD_FORMAT_IDS = Object.keys(AD_FORMATS) as [AdFormatId, ...AdFormatId[]];
export const DEFAULT_FORMAT: AdFormatId = "instagram-square";

/** The size the model is asked for. */
export function formatSize(format: AdFormatId): { width: number; height: number } {
  return { ...AD_FORMATS[format].model };
}

/** The platform's exact output size. */
export function outputSize(format: AdFormatId): { width: number; height: number } {
  const { width, height } = AD_FORMATS[format];
  return { width, height };
}

/** The rectangle copy and logos must stay inside. */
export function safeArea(format: AdFormatId): { x: number; y: number; width: number; height: number } {
  const { width, height, safe } = AD_FORMATS[format];
  return { x: safe.left, y: safe.top, width: width - safe.left - safe.right, height: height - safe.top - safe.bottom };
}
