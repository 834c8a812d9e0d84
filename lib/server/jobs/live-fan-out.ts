import "server-only";
import type { PreviewEvent } from "@/lib/events";
import type { ViewerSink } from "./viewer-sink";
import type { JobEvent } from "../storage/logged-events";

/**
 * The viewers of running jobs and what is sent to them: each logged event (with its id) and each
 * transient preview. In one process (embedded), or over Redis pub/sub (`distributed/redis-fan-out.ts`)
 * so a viewer on one instance follows a job run by a worker elsewhere.
 */
export interface LiveFanOut {
  /** Resolves once the viewer is following (at once in one process). */
  add(jobId: string, sink: ViewerSink): void | Promise<void>;
  /** Returns how many viewers the job still has. */
  remove(jobId: string, sink: ViewerSink): number;
  count(jobId: string): number;
  publish(jobId: string, id: number | undefined, event: JobEvent): void;
  preview(jobId: string, data: PreviewEvent): void;
  /** The run ended: every viewer's stream is closed. */
  closeAll(jobId: string): void;
}

export class InProcessFanOut implements LiveFanOut {
  private readonly viewers = new Map<string, Set<ViewerSink>>();

  add(jobId: string, sink: ViewerSink): void {
    const set = this.viewers.get(jobId) ?? new Set<ViewerSink>();
    set.add(sink);
    this.viewers.set(jobId, set);
  }

  remove(jobId: string, sink: ViewerSink): number {
    const set = this.viewers.get(jobId);
    if (!set || !set.delete(sink)) return -1;
    if (set.size === 0) this.viewers.delete(jobId);
    return set.size;
  }

  count(jobId: string): number {
    return this.viewers.get(jobId)?.size ?? 0;
  }

  publish(jobId: string, id: number | undefined, event: JobEvent): void {
    for (const sink of this.viewers.get(jobId) ?? []) sink.send(id, event);
  }

  preview(jobId: string, data: PreviewEvent): void {
    for (const sink of this.viewers.get(jobId) ?? []) sink.preview(data);
  }

  closeAll(jobId: string): void {
    const set = this.viewers.get(jobId);
    this.viewers.delete(jobId);
    for (const sink of set ?? []) sink.close();
  }
}
