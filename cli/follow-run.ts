import { EventSourceParserStream } from "eventsource-parser/stream";
import { apiPaths } from "../lib/api-paths";
import { decodeEvent, type DoneEvent, type StreamEvent } from "../lib/events";
import { CliError, describeNetworkError, type ApiClient } from "./api-client";

export interface RunListener {
  onEvent(event: StreamEvent): void;
  /** The stream broke; the run is followed again after `lastEventId` (attempt counts from 1). */
  onReconnect(info: { attempt: number; lastEventId: number; reason: string; delayMs: number }): void;
}

export interface FollowOptions {
  /** The job, when following one that started earlier (its `start` is not in the stream then). */
  jobId?: string;
  /** The last event already seen: nothing up to it is shown again. */
  afterEventId?: number;
}

/** How many times in a row a broken stream is reopened (backing off to 5 s) before giving up: about a minute and a half. */
const MAX_RECONNECTS = 20;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Follows a run to its `done` event. The first stream is the answer that started it; when a
 * stream breaks (a dropped connection, a server restart) it is reopened at the job's events with
 * Last-Event-ID, so every logged event arrives exactly once, whatever was missed meanwhile.
 */
export async function followRun(client: ApiClient, first: Response, listener: RunListener, options: FollowOptions = {}): Promise<DoneEvent> {
  let jobId = options.jobId;
  let lastEventId = options.afterEventId ?? 0;
  let failures = 0;
  let response: Response | undefined = first;

  for (;;) {
    let reason = "the stream ended before the run did";
    if (response) {
      try {
        for await (const message of eventsOf(response)) {
          const event = decodeEvent(message.event, message.data);
          if (!event) continue;
          if (message.id !== undefined && /^\d+$/.test(message.id)) {
            // A replay after a reconnect starts after lastEventId; anything older is not shown twice.
            if (Number(message.id) <= lastEventId) continue;
            lastEventId = Number(message.id);
          }
          failures = 0;
          if (event.event === "start") jobId = event.data.jobId;
          listener.onEvent(event);
          if (event.event === "done") return event.data;
        }
      } catch (error) {
        reason = `the connection broke (${describeNetworkError(error)})`;
      }
    }
    if (!jobId) throw new CliError(`The connection was lost before the run began (${reason}). Nothing was started, or see \`creatives history\`.`);
    failures += 1;
    if (failures > MAX_RECONNECTS) throw new CliError(`Lost the run ${jobId} after ${MAX_RECONNECTS} attempts to reconnect (${reason}). It may still be going: \`creatives download ${jobId}\` later.`);
    const delayMs = Math.min(5_000, 250 * 2 ** (failures - 1));
    listener.onReconnect({ attempt: failures, lastEventId, reason, delayMs });
    await sleep(delayMs);
    response = await reopen(client, jobId, lastEventId);
  }
}

/** The job's events after `lastEventId`, or undefined when the server cannot be reached yet (tried again). */
async function reopen(client: ApiClient, jobId: string, lastEventId: number): Promise<Response | undefined> {
  let response: Response;
  try {
    response = await fetch(client.url(apiPaths.jobEvents(jobId)), { headers: client.headers({ accept: "text/event-stream", "last-event-id": String(lastEventId) }) });
  } catch {
    return undefined;
  }
  // The job or the credentials are gone: reconnecting again would not change that.
  if (response.status >= 400 && response.status < 500) throw await client.failure(response);
  if (!response.ok) {
    await response.body?.cancel();
    return undefined;
  }
  return response;
}

async function* eventsOf(response: Response): AsyncGenerator<{ event?: string; data: string; id?: string }> {
  if (!response.body) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
