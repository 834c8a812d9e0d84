import "server-only";
import type { PreviewEvent } from "@/lib/events";
import type { JobEvent } from "../storage/logged-events";

/**
 * Someone watching a job: the core sends it the job's logged events (with their ids) and its
 * transient previews. The edge makes it a stream (`http/sse-response.ts`) and turns ids into URLs.
 */
export interface ViewerSink {
  /** Ids in the event become URLs at the edge. */
  send(id: number | undefined, event: JobEvent): void;
  /** A transient preview: no id, not replayed. */
  preview(data: PreviewEvent): void;
  /** Ends the stream (the job is over, or there is nothing to follow). */
  close(): void;
}
