/**
 * A tiny, independent SSE reader for tests (Node fetch). It deliberately does not reuse the app's
 * parser so framing bugs in the app's writer show up here.
 *
 * Follows the WHATWG event-stream rules: lines end with \r\n, \n or \r; a blank line dispatches;
 * `data` lines are joined with "\n"; one leading space after the colon is stripped; a block
 * without any `data` line is not dispatched; an unterminated block at end of stream is dropped.
 * Differences, on purpose: comment lines (`:…`) are yielded as `{ comment }` (text after the colon,
 * one leading space stripped), and `id` is the id set *in that block* (not the sticky last-event-id).
 */

export interface SseMessage {
  id?: string;
  event?: string;
  data: string;
  receivedAt: number;
}

export interface SseComment {
  comment: string;
  receivedAt: number;
}

export type SseItem = SseMessage | SseComment;

export function isSseComment(x: SseItem): x is SseComment {
  return "comment" in x;
}

export async function* readSse(response: Response): AsyncGenerator<SseMessage | { comment: string; receivedAt: number }> {
  if (!response.body) return;
  const reader = response.body.getReader();
  const decoder = new TextDecoder("utf-8");

  let buf = "";
  let pendingCR = false; // previous chunk ended with "\r": a leading "\n" in the next one belongs to it
  let dataLines: string[] | null = null;
  let event: string | undefined;
  let id: string | undefined;

  const resetBlock = (): void => {
    dataLines = null;
    event = undefined;
    id = undefined;
  };

  // Returns an item to yield, or null.
  const processLine = (line: string, receivedAt: number): SseItem | null => {
    if (line === "") {
      const lines: string[] | null = dataLines;
      const ev = event;
      const eid = id;
      resetBlock();
      if (lines === null) return null;
      const msg: SseMessage = { data: lines.join("\n"), receivedAt };
      if (ev !== undefined && ev !== "") msg.event = ev;
      if (eid !== undefined) msg.id = eid;
      return msg;
    }
    if (line.startsWith(":")) {
      const text = line.slice(1);
      return { comment: text.startsWith(" ") ? text.slice(1) : text, receivedAt };
    }
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "data":
        (dataLines ??= []).push(value);
        break;
      case "event":
        event = value;
        break;
      case "id":
        if (!value.includes("\0")) id = value;
        break;
      default:
        // "retry" and unknown fields are ignored
        break;
    }
    return null;
  };

  try {
    for (;;) {
      const { done, value } = await reader.read();
      const receivedAt = Date.now();
      buf += done ? decoder.decode() : decoder.decode(value, { stream: true });
      if (pendingCR && buf.length > 0) {
        if (buf.startsWith("\n")) buf = buf.slice(1);
        pendingCR = false;
      }

      let start = 0;
      for (let i = 0; i < buf.length; i++) {
        const ch = buf.charCodeAt(i);
        if (ch !== 10 && ch !== 13) continue;
        const line = buf.slice(start, i);
        if (ch === 13) {
          if (i + 1 < buf.length) {
            if (buf.charCodeAt(i + 1) === 10) i++;
          } else {
            pendingCR = true;
          }
        }
        start = i + 1;
        const item = processLine(line, receivedAt);
        if (item) yield item;
      }
      buf = buf.slice(start);
      if (done) return; // an unterminated trailing line/block is dropped, as browsers do
    }
  } finally {
    try {
      await reader.cancel();
    } catch {
      // already closed
    }
    reader.releaseLock();
  }
}

/** POST a JSON body and return the (streaming) Response; does not throw on non-2xx. */
export function postSse(
  url: string,
  body: unknown,
  init: { signal?: AbortSignal; headers?: Record<string, string> } = {},
): Promise<Response> {
  const req: RequestInit = {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream", ...init.headers },
    body: JSON.stringify(body),
  };
  if (init.signal) req.signal = init.signal;
  return fetch(url, req);
}

/** Collects every item until the stream ends (or `limit` items). */
export async function collectSse(response: Response, limit = Number.POSITIVE_INFINITY): Promise<SseItem[]> {
  const out: SseItem[] = [];
  for await (const item of readSse(response)) {
    out.push(item);
    if (out.length >= limit) break;
  }
  return out;
}

/** Parses an SSE message's data as JSON (throws with the raw data on failure). */
export function sseJson<T = unknown>(msg: SseMessage): T {
  try {
    return JSON.parse(msg.data) as T;
  } catch {
    throw new Error(`SSE data is not JSON: ${JSON.stringify(msg.data)}`);
  }
}

/** Reads messages (comments skipped) until `until` says stop, then hangs up with `controller`. */
export async function readMessagesUntil(response: Response, controller: AbortController, until: (messages: SseMessage[]) => boolean): Promise<SseMessage[]> {
  const messages: SseMessage[] = [];
  try {
    for await (const item of readSse(response)) {
      if (isSseComment(item)) continue;
      messages.push(item);
      if (until(messages)) {
        controller.abort();
        break;
      }
    }
  } catch {
    // Aborting (or the server going away) ends the read.
  }
  return messages;
}

/** Reads every message (comments skipped) until the stream ends; `onMessage` sees each as it comes. */
export async function readAllMessages(response: Response, onMessage?: (message: SseMessage, all: SseMessage[]) => void): Promise<SseMessage[]> {
  const messages: SseMessage[] = [];
  try {
    for await (const item of readSse(response)) {
      if (isSseComment(item)) continue;
      messages.push(item);
      onMessage?.(item, messages);
    }
  } catch {
    // The server went away: the stream ends here.
  }
  return messages;
}
