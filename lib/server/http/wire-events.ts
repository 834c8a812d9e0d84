import "server-only";
import { apiPaths } from "@/lib/api-paths";
import type { GenerationEvent, ImageEvent } from "@/lib/events";
import type { ImageRecord, JobEvent } from "../storage/logged-events";

/** A logged event as a client receives it: file ids become URLs here, at the edge. */

export function toWireImage({ compositeId, thumbId, rawId, ...rest }: ImageRecord): ImageEvent {
  return { ...rest, url: apiPaths.image(compositeId), thumbUrl: apiPaths.image(thumbId), rawUrl: apiPaths.image(rawId) };
}

export function toWireEvent(event: JobEvent): GenerationEvent {
  return event.event === "image" ? { event: "image", data: toWireImage(event.data) } : event;
}
