import "server-only";
import { outputSize, safeArea, type AdFormatId } from "@/lib/ad-formats";
import type { LayoutId } from "@/lib/design";
import type { Rect } from "./contrast";
import { subjectRoom } from "./layouts";

/**
 * Where the product stands in a finished ad, decided once for everyone who needs it: the
 * compositor pastes the packshot there, the built-in renderer puts its pedestal under it, and an
 * editing model is shown the packshot there so the scene is built around it. If these disagreed,
 * the product would float beside its pedestal or leave a ghost of the model's copy beside it.
 */
export function productPlacement(layout: LayoutId, format: AdFormatId, product: { width: number; height: number }): Rect {
  const canvas = outputSize(format);
  const safe = safeArea(format);
  const room = intersect(subjectRoom(layout, canvas, safe, true), safe);
  // As large as 80% of the room allows, centred, its base at 90% of the room's height.
  const fit = Math.min((room.width * 0.8) / product.width, (room.height * 0.8) / product.height);
  const width = Math.round(product.width * fit);
  const height = Math.round(product.height * fit);
  const x = Math.round(room.x + (room.width - width) / 2);
  const base = Math.round(room.y + room.height * 0.9);
  return { x, y: base - height, width, height };
}

/**
 * A rectangle of the ad's canvas in the coordinates of a picture of another size, as the
 * compositor fits it (scaled to cover, centred). A picture built around a product is always
 * fitted that way, so the packshot pasted back lands where the model drew it.
 */
export function canvasToPicture(rect: Rect, canvas: { width: number; height: number }, picture: { width: number; height: number }): Rect {
  const scale = Math.max(canvas.width / picture.width, canvas.height / picture.height);
  const offsetX = (picture.width * scale - canvas.width) / 2;
  const offsetY = (picture.height * scale - canvas.height) / 2;
  return {
    x: Math.round((rect.x + offsetX) / scale),
    y: Math.round((rect.y + offsetY) / scale),
    width: Math.round(rect.width / scale),
    height: Math.round(rect.height / scale),
  };
}

export function intersect(a: Rect, b: Rect): Rect {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  return { x, y, width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - x), height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - y) };
}
