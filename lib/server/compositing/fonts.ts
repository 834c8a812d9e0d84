import "server-only";
import { GlobalFonts } from "@napi-rs/canvas";
import path from "node:path";

/** Inter from the @fontsource npm package: no system fonts, no network. */
export const FONT_FAMILY = "AdSans";
const WEIGHTS = [400, 600, 800] as const;
export type FontWeight = (typeof WEIGHTS)[number];

let registered = false;

export function ensureFonts(): void {
  if (registered) return;
  const directory = path.join(/*turbopackIgnore: true*/ process.cwd(), "node_modules", "@fontsource", "inter", "files");
  for (const weight of WEIGHTS) {
    const file = path.join(/*turbopackIgnore: true*/ directory, `inter-latin-${weight}-normal.woff2`);
    if (!GlobalFonts.registerFromPath(file, FONT_FAMILY)) throw new Error(`Could not load the font ${file}; run npm ci.`);
  }
  registered = true;
}

export function font(weight: (typeof WEIGHTS)[number], size: number): string {
  return `${weight} ${size}px ${FONT_FAMILY}`;
}
