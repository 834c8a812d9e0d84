import "server-only";
import type { Redis } from "ioredis";
import type { PreviewEvent } from "@/lib/events";
import type { ViewerSink } from "../jobs/viewer-sink";
import { fromLoggedEvent, type JobEvent } from "../storage/logged-events";
import type { LiveFanOut } from "../jobs/live-fan-out";
import type { EventLog } from "../storage/storage";

/** What travels on a job's channel: a logged event with its id (or without, when it could not be logged), or a preview. */
type ChannelMessage = { id?: number; event: JobEvent } | { preview: PreviewEvent };

const channelOf = (jobId: string) => `acg:job:${jobId}`;
const JOB_OF_CHANNEL = /^acg:job:(.+)$/;

/** How long an event that arrived ahead of its predecessor waits for it before the log is asked. */
const REORDER_WAIT_MS = 10;

/** Says something on a job's channel: what every web instance with viewers of the job passes on. */
export async function publishToJob(redis: Redis, jobId: string, message: ChannelMessage): Promise<void> {
  await redis.publish(channelOf(jobId), JSON.stringify(message));
}

/**
 * Live events across processes: whoever records an event (a worker, any web instance) publishes
 * it on the job's Redis channel after committing it to the Postgres log, and every web instance
 * with viewers of that job passes it on. The log stays the one source of truth and of ids: an
 * instance sends a job's events strictly in id order, and when one is missing (published out of
 * order by two workers, or never published by a worker that died after its commit) it reads
 * the gap from the log. So a viewer gets every event once, in order, on any instance.
 */
export class RedisFanOut implements LiveFanOut {
  private readonly feeds = new Map<string, JobFeed>();

  constructor(
    /** A connection in subscriber mode, this fan-out's alone. */
    private readonly subscriber: Redis,
    private readonly publisher: Redis,
    private readonly log: Pick<EventLog, "eventsAfter" | "lastEventId">,
  ) {
    subscriber.on("message", (channel: string, text: string) => {
      const jobId = JOB_OF_CHANNEL.exec(channel)?.[1];
      const feed = jobId ? this.feeds.get(jobId) : undefined;
      if (!feed) return;
      try {
        feed.receive(JSON.parse(text) as ChannelMessage);
      } catch (error) {
        console.error(`[events] unreadable message on ${channel}:`, error instanceof Error ? error.message : error);
      }
    });
    // Back from a Redis restart (ioredis subscribes again by itself): what was published while
    // this connection was down is read from the log.
    let connectedBefore = false;
    subscriber.on("ready", () => {
      if (connectedBefore) for (const feed of this.feeds.values()) feed.catchUp();
      connectedBefore = true;
    });
  }

  /** Resolves once the job's channel is followed, so what is read from the log after it cannot be missed live. */
  async add(jobId: string, sink: ViewerSink): Promise<void> {
    let feed = this.feeds.get(jobId);
    if (!feed) {
      const created = new JobFeed(jobId, this.log, () => this.drop(jobId, created));
      feed = created;
      this.feeds.set(jobId, created);
      created.ready = this.subscriber
        .subscribe(channelOf(jobId))
        .then(() => this.log.lastEventId(jobId))
        .then((lastId) => created.start(lastId ?? 0));
      created.ready.catch(() => this.drop(jobId, created));
    }
    feed.sinks.add(sink);
    await feed.ready;
  }

  remove(jobId: string, sink: ViewerSink): number {
    const feed = this.feeds.get(jobId);
    if (!feed || !feed.sinks.delete(sink)) return -1;
    if (feed.sinks.size === 0) this.drop(jobId, feed);
    return feed.sinks.size;
  }

  count(jobId: string): number {
    return this.feeds.get(jobId)?.sinks.size ?? 0;
  }

  /** The jobs this instance has viewers of (for the viewer presence shared by all instances). */
  watchedJobs(): string[] {
    return [...this.feeds.keys()];
  }

  publish(jobId: string, id: number | undefined, event: JobEvent): void {
    publishToJob(this.publisher, jobId, { ...(id === undefined ? {} : { id }), event }).catch(logPublishError);
  }

  preview(jobId: string, data: PreviewEvent): void {
    publishToJob(this.publisher, jobId, { preview: data }).catch(logPublishError);
  }

  closeAll(jobId: string): void {
    const feed = this.feeds.get(jobId);
    if (feed) feed.closeSinks();
  }

  private drop(jobId: string, feed: JobFeed): void {
    if (this.feeds.get(jobId) !== feed) return;
    this.feeds.delete(jobId);
    feed.stop();
    void this.subscriber.unsubscribe(channelOf(jobId)).catch(() => {});
  }
}

function logPublishError(error: unknown): void {
  console.error("[events] could not publish:", error instanceof Error ? error.message : error);
}

/** One job's live events on this instance, put in id order before they reach its viewers. */
class JobFeed {
  readonly sinks = new Set<ViewerSink>();
  ready: Promise<void> = Promise.resolve();
  /** The last id sent to the viewers; undefined until the log said where it stands. */
  private lastId: number | undefined;
  private readonly early: ChannelMessage[] = [];
  private readonly ahead = new Map<number, JobEvent>();
  private fillTimer: ReturnType<typeof setTimeout> | undefined;
  private catchingUp = false;
  private stopped = false;

  constructor(
    private readonly jobId: string,
    private readonly log: Pick<EventLog, "eventsAfter">,
    private readonly onEnded: () => void,
  ) {}

  start(lastId: number): void {
    this.lastId = lastId;
    for (const message of this.early.splice(0)) this.receive(message);
  }

  receive(message: ChannelMessage): void {
    if (this.stopped) return;
    if ("preview" in message) {
      for (const sink of this.sinks) sink.preview(message.preview);
      return;
    }
    if (message.id === undefined) return this.send(undefined, message.event);
    if (this.lastId === undefined) {
      this.early.push(message);
      return;
    }
    if (message.id <= this.lastId) return;
    this.ahead.set(message.id, message.event);
    this.sendInOrder();
  }

  private sendInOrder(): void {
    while (this.lastId !== undefined && this.ahead.has(this.lastId + 1)) {
      const id = this.lastId + 1;
      const event = this.ahead.get(id)!;
      this.ahead.delete(id);
      this.lastId = id;
      this.send(id, event);
      if (this.stopped) return;
    }
    if (this.ahead.size > 0) this.fillGapSoon();
  }

  /** Reads whatever the log has beyond what was sent (after a reconnection, nothing shows the gap). */
  catchUp(): void {
    this.catchingUp = true;
    this.fillGapSoon();
  }

  private fillGapSoon(): void {
    if (this.fillTimer) return;
    this.fillTimer = setTimeout(() => {
      this.fillTimer = undefined;
      const wanted = this.ahead.size > 0 || this.catchingUp;
      this.catchingUp = false;
      if (this.stopped || !wanted || this.lastId === undefined) return;
      this.log.eventsAfter(this.jobId, this.lastId).then(
        (rows) => {
          for (const row of rows) if (this.lastId !== undefined && row.id > this.lastId) this.ahead.set(row.id, fromLoggedEvent(row.event, JSON.parse(row.data)));
          this.sendInOrder();
        },
        (error: unknown) => {
          console.error(`[events] could not read job ${this.jobId}'s log to fill a gap:`, error instanceof Error ? error.message : error);
          this.catchingUp = true;
          this.fillGapSoon();
        },
      );
    }, REORDER_WAIT_MS);
  }

  private send(id: number | undefined, event: JobEvent): void {
    for (const sink of this.sinks) sink.send(id, event);
    // The run is over: its viewers' streams end, as they do in one process.
    if (event.event === "done") {
      this.closeSinks();
      this.onEnded();
    }
  }

  closeSinks(): void {
    const sinks = [...this.sinks];
    this.sinks.clear();
    for (const sink of sinks) sink.close();
  }

  stop(): void {
    this.stopped = true;
    if (this.fillTimer) clearTimeout(this.fillTimer);
  }
}
