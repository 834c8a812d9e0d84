import "server-only";
import { fileIdFromImagePath } from "@/lib/api-paths";
import type { GenerationEvent, ImageEvent } from "@/lib/events";

// The events of a job as its log keeps them: written by the run, read back by replays and edits.

/**
 * An image event as the core keeps it (runner, job manager, event log): the ids of the stored
 * files, never URLs. URLs are made at the edge, when an event is sent or answered (`toWireEvent`).
 */
export type ImageRecord = Omit<ImageEvent, "url" | "thumbUrl" | "rawUrl"> & {
  /** The finished ad, its preview, and the provider's untouched picture. */
  compositeId: string;
  thumbId: string;
  rawId: string;
};

export type JobEvent = Exclude<GenerationEvent, { event: "image" }> | { event: "image"; data: ImageRecord };

/** Reads a logged event back; logs written before ids kept URLs inside image events, and still read. */
export function fromLoggedEvent(name: string, data: unknown): JobEvent {
  if (name !== "image") return { event: name, data } as JobEvent;
  const record = data as Partial<ImageRecord> & Partial<Pick<ImageEvent, "url" | "thumbUrl" | "rawUrl">>;
  if (record.compositeId) return { event: "image", data: record as ImageRecord };
  const { url, thumbUrl, rawUrl, ...rest } = record;
  return { event: "image", data: { ...(rest as Omit<ImageRecord, "compositeId" | "thumbId" | "rawId">), compositeId: fileIdFromImagePath(url ?? ""), thumbId: fileIdFromImagePath(thumbUrl ?? ""), rawId: fileIdFromImagePath(rawUrl ?? "") } };
}
