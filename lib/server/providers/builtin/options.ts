import "server-only";
import type { BuiltinPresetId } from "@/lib/design";

/** What the built-in renderer is asked to draw. */
export interface RenderOptions {
  prompt: string;
  seed: number; // 0..2^31-1
  width: number; // multiple of 64, 512..1536
  height: number;
  style: "photographic" | "minimalist" | "illustration" | "luxury" | "retro" | "3d-render";
  tone: "energetic" | "calm" | "premium" | "playful" | "trustworthy";
  productName: string;
  variant: number; // 0..7, the image's index in the batch
  preset?: BuiltinPresetId; // "auto" or undefined: the treatment follows `style`
  /** The brand's colours: the palette is derived from them (harmonious, not identical). */
  brand?: { primary: string; secondary: string };
  /** Where the layout leaves the picture free of copy, as fractions of the canvas: the subject goes there. */
  room?: { x: number; y: number; width: number; height: number };
  /** Whether a product image will stand in the picture: only then is a stage (a pedestal) drawn for it, never an empty one. */
  product?: boolean;
  /** Where the product will stand (fractions of the canvas): the pedestal's top goes under its base. */
  stage?: { x: number; y: number; width: number; height: number };
}

export type Style = RenderOptions["style"];
export type Tone = RenderOptions["tone"];
