import "server-only";
import type { Image } from "@napi-rs/canvas";
import type { AdFormatId } from "@/lib/ad-formats";
import type { Design } from "@/lib/design";
import type { Rect } from "./contrast";

// What composing an ad takes and gives: shared by the compositor, the picture fitting, the
// encoding and the image workers.

export interface ComposeInput {
  /** The raw picture from the provider, as file bytes. */
  background: Buffer;
  /** Identifies the background for the resize cache (its file id); a picture without one is not cached. */
  backgroundKey?: string;
  /** The background already decoded (by `finishCreative`, which also made its preview from it). */
  decoded?: Image;
  format: AdFormatId;
  design: Design;
  /** Sanitised PNG logo bytes, or null to set the brand name as a wordmark. */
  logo: Buffer | null;
  /** A cut-out product image (PNG with transparency) to stand on the stage, or none. */
  product?: Buffer | null;
}

export interface TextReport {
  box: Rect;
  lines: string[];
  fontSize: number;
  color: string;
  /** Worst contrast between the text colour and what is behind it, as computed before drawing. */
  contrast: number;
}

export interface ComposeReport {
  width: number;
  height: number;
  safe: Rect;
  logo: Rect;
  /** An uploaded logo against what is behind it (its plate, when it has one): at least 3:1. */
  logoContrast?: number;
  /** The white or ink plate put behind a logo that would not stand out on the picture or panel. */
  logoPlate?: Rect;
  /** Where the product image was placed (with its shadow below it), when there is one. */
  product?: Rect;
  /** The brand name as set when there is no logo. */
  wordmark?: { lines: string[]; fontSize: number };
  headline: TextReport;
  subline?: TextReport;
  cta: TextReport & { button: Rect };
  scrim?: Rect & { alpha: number };
}

/** A composited creative: the ad, and with `thumbnailWidth` its preview and 16 px placeholder. */
export interface Composite {
  bytes: Buffer;
  mimeType: string;
  thumbnail?: Buffer;
  placeholder?: Buffer;
  report: ComposeReport;
}

export interface ComposeOptions {
  encoding?: "jpeg" | "png";
  /** Also return a WebP preview this wide (made from the canvas, not by decoding the JPEG again). */
  thumbnailWidth?: number;
  /** For pixel tests: draw everything but the copy, or only the copy on a transparent canvas. */
  layers?: "all" | "no-text" | "text-only";
}
