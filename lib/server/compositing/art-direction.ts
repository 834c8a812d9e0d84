import "server-only";
import { outputSize, safeArea, type AdFormatId } from "@/lib/ad-formats";
import type { Design } from "@/lib/design";
import { subjectRoom } from "./layouts";
import { productPlacement } from "./product-placement";

type Fractions = { x: number; y: number; width: number; height: number };

/** What a renderer that draws its own scene (the built-in one) needs to stay on brand and clear of the copy. */
export interface ArtDirection {
  brand: { primary: string; secondary: string };
  /** The part of the picture the layout leaves free, as fractions of the canvas. */
  room: Fractions;
  /** Whether a product image will stand in the picture (a renderer draws a stage only for one). */
  product: boolean;
  /** Where the packshot will stand, as fractions of the canvas: a stage goes right under it. */
  stage?: Fractions;
}

/** `productSize`: the packshot's pixels, when it is known, so the stage can be set exactly under it. */
export function artDirection(design: Pick<Design, "primaryColor" | "secondaryColor" | "layout" | "productId">, format: AdFormatId, productSize?: { width: number; height: number }): ArtDirection {
  const canvas = outputSize(format);
  const fractions = (rect: Fractions): Fractions => ({ x: rect.x / canvas.width, y: rect.y / canvas.height, width: rect.width / canvas.width, height: rect.height / canvas.height });
  const product = Boolean(design.productId);
  return {
    brand: { primary: design.primaryColor, secondary: design.secondaryColor },
    room: fractions(subjectRoom(design.layout, canvas, safeArea(format), product)),
    product,
    ...(product && productSize ? { stage: fractions(productPlacement(design.layout, format, productSize)) } : {}),
  };
}
