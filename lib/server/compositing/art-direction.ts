import "server-only";
import { outputSize, safeArea, type AdFormatId } from "@/lib/ad-formats";
import type { Design } from "@/lib/design";
import { subjectRoom } from "./layouts";

/** What a renderer that draws its own scene (the built-in one) needs to stay on brand and clear of the copy. */
export interface ArtDirection {
  brand: { primary: string; secondary: string };
  /** The part of the picture the layout leaves free, as fractions of the canvas. */
  room: { x: number; y: number; width: number; height: number };
  /** Whether a product image will stand in the picture (a renderer draws a stage only for one). */
  product: boolean;
}

export function artDirection(design: Pick<Design, "primaryColor" | "secondaryColor" | "layout" | "productId">, format: AdFormatId): ArtDirection {
  const canvas = outputSize(format);
  const room = subjectRoom(design.layout, canvas, safeArea(format));
  return {
    brand: { primary: design.primaryColor, secondary: design.secondaryColor },
    room: { x: room.x / canvas.width, y: room.y / canvas.height, width: room.width / canvas.width, height: room.height / canvas.height },
    product: Boolean(design.productId),
  };
}
