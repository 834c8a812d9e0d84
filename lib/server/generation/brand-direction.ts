import "server-only";
import type { AdFormatId } from "@/lib/ad-formats";
import type { Design } from "@/lib/design";
import { artDirection } from "../compositing/art-direction";
import { parseHex } from "../colour";

/**
 * What a hosted model is told of the brand and the layout: models read colour names, not hex
 * codes, and cannot know where our copy will go unless the prompt says which part of the frame
 * to leave calm and empty.
 */

const HUES: [upTo: number, name: string][] = [
  [12, "red"],
  [35, "orange"],
  [50, "amber"],
  [65, "yellow"],
  [85, "lime green"],
  [150, "green"],
  [175, "teal"],
  [195, "cyan"],
  [215, "sky blue"],
  [245, "blue"],
  [265, "indigo"],
  [290, "purple"],
  [330, "magenta"],
  [345, "pink"],
  [360, "red"],
];

/** A plain-words name for a colour ("deep navy blue", "warm brown", "pale pink"), as a prompt would say it. */
export function colourName(hex: string): string {
  const [r, g, b] = parseHex(hex).map((channel) => channel / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const lightness = (max + min) / 2;
  const chroma = max - min;
  const saturation = chroma === 0 ? 0 : chroma / (1 - Math.abs(2 * lightness - 1));
  if (saturation < 0.12 || chroma < 0.06) {
    return lightness > 0.93 ? "white" : lightness > 0.75 ? "light grey" : lightness > 0.45 ? "grey" : lightness > 0.15 ? "charcoal grey" : "black";
  }
  let hue = chroma === 0 ? 0 : max === r ? ((g - b) / chroma) % 6 : max === g ? (b - r) / chroma + 2 : (r - g) / chroma + 4;
  hue = (hue * 60 + 360) % 360;
  let name = HUES.find(([upTo]) => hue < upTo)?.[1] ?? "red";
  // Dark oranges and ambers are browns; dark blues are navy; light reds are pinks.
  if ((name === "orange" || name === "amber" || name === "red") && lightness < 0.4 && hue >= 10) name = "brown";
  if ((name === "blue" || name === "indigo" || name === "sky blue") && lightness < 0.3) name = "navy blue";
  if (name === "red" && lightness > 0.72) name = "pink";
  const shade = lightness < 0.18 ? "very dark " : lightness < 0.32 ? "deep " : lightness > 0.85 ? "pale " : lightness > 0.7 ? "light " : "";
  const muted = saturation < 0.3 ? "muted " : "";
  return `${shade}${muted}${name}`;
}

/** The part of the frame the copy takes, in words, from where the layout leaves the picture free. */
export function copySpacePhrase(room: { x: number; y: number; width: number; height: number }): string {
  const above = room.y;
  const below = 1 - (room.y + room.height);
  const left = room.x;
  const right = 1 - (room.x + room.width);
  const share = (part: number) => (part >= 0.42 ? "half" : "third");
  const places: string[] = [];
  if (below >= 0.2 && below >= above) places.push(`the lower ${share(below)}`);
  if (above >= 0.2 && above > below) places.push(`the top ${share(above)}`);
  if (above >= 0.2 && below >= 0.2 && places.length === 1) places.push(`the top ${share(above)}`);
  if (left >= 0.3 && left >= right) places.push(`the left ${share(left)}`);
  if (right >= 0.3 && right > left) places.push(`the right ${share(right)}`);
  if (places.length === 0) return "the subject framed with calm, uncluttered background around it";
  return `the subject kept out of ${places.join(" and ")} of the frame, which stays calm, empty background for text added later`;
}

/** The prompt's words for the brand's colours and the room left for the copy. */
export function brandDirection(design: Pick<Design, "primaryColor" | "secondaryColor" | "layout">, format: AdFormatId): { colours: string; copySpace: string } {
  const { room } = artDirection(design, format);
  const primary = colourName(design.primaryColor);
  const secondary = colourName(design.secondaryColor);
  const colours = primary === secondary ? `colour palette built on ${primary}` : `colour palette of ${primary} with ${secondary} accents`;
  return { colours, copySpace: copySpacePhrase(room) };
}
