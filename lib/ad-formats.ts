/**
 * Ad formats the marketer picks from. Each maps to a size the diffusion models were trained
 * near (SDXL buckets, multiples of 64) so quality does not suffer from odd resolutions.
 */
export const AD_FORMATS = {
  square: { label: "Square 1:1", hint: "Feed posts", width: 1024, height: 1024 },
  portrait: { label: "Portrait 4:5", hint: "Instagram / Facebook feed", width: 896, height: 1152 },
  story: { label: "Story 9:16", hint: "Stories and Reels", width: 768, height: 1344 },
  landscape: { label: "Landscape 1.91:1", hint: "Link ads, LinkedIn, X", width: 1216, height: 640 },
} as const;

export type AdFormatId = keyof typeof AD_FORMATS;
export const AD_FORMAT_IDS = Object.keys(AD_FORMATS) as [AdFormatId, ...AdFormatId[]];

export function formatSize(format: AdFormatId): { width: number; height: number } {
  const { width, height } = AD_FORMATS[format];
  return { width, height };
}
