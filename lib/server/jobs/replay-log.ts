import "server-only";
import type { PreviewEvent } from "@/lib/events";
import type { ViewerSink } from "./viewer-sink";
import type { EventLog } from "../storage/storage";
import { fromLoggedEvent, type JobEvent } from "../storage/logged-events";

/**
 * Sends the job's logged events after `afterId` to `sink`; resolves with the id it replayed up to.
 * A creative regenerated or re-composited later in the same replay has had its files deleted, so
 * its older image event is skipped: the viewer is spared requests for files that are gone.
 */
export async function replayLog(repo: Pick<EventLog, "eventsAfter">, jobId: string, afterId: number, sink: ViewerSink): Promise<number> {
  const rows = await repo.eventsAfter(jobId, afterId);
  const events = rows.map((row) => ({ id: row.id, event: fromLoggedEvent(row.event, JSON.parse(row.data)) }));
  const latestImage = new Map<number, number>();
  for (const { id, event } of events) if (event.event === "image") latestImage.set(event.data.index, id);
  for (const { id, event } of events) {
    if (event.event === "image" && latestImage.get(event.data.index) !== id) continue;
    sink.send(id, event);
  }
  return events.at(-1)?.id ?? afterId;
}

/**
 * A viewer attached while its replay is still being read: live events wait here until the
 * replay is sent, then those the replay did not have follow, and from then on events pass through.
 */
export class HeldSink implements ViewerSink {
  private pending: (() => void)[] | undefined = [];
  private replayedUpTo = 0;

  constructor(private readonly sink: ViewerSink) {}

  release(replayedUpTo: number): void {
    this.replayedUpTo = replayedUpTo;
    const pending = this.pending ?? [];
    this.pending = undefined;
    for (const deliver of pending) deliver();
  }

  send(id: number | undefined, event: JobEvent): void {
    const deliver = () => {
      if (id === undefined || id > this.replayedUpTo) this.sink.send(id, event);
    };
    if (this.pending) this.pending.push(deliver);
    else deliver();
  }

  preview(data: PreviewEvent): void {
    if (this.pending) this.pending.push(() => this.sink.preview(data));
    else this.sink.preview(data);
  }

  close(): void {
    if (this.pending) this.pending.push(() => this.sink.close());
    else this.sink.close();
  }
}
