import "server-only";
import type { ViewerSink } from "../jobs/viewer-sink";
import { encodeComment, encodeEvent, encodePreview } from "@/lib/events";
import { toWireEvent } from "./wire-events";

export const SSE_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  // no-transform also stops Next's gzip from buffering the stream.
  "Cache-Control": "no-cache, no-transform",
  "X-Accel-Buffering": "no",
  Connection: "keep-alive",
} as const;

/** Where a job's events go: one open SSE connection. */
/** The stream a viewer of a job reads: the core's `ViewerSink`. */
export type SseSink = ViewerSink;

export interface SseOptions {
  /** The incoming request's signal: fires when the client goes away. */
  requestSignal: AbortSignal;
  heartbeatMs: number;
  /** Connects the sink to a job; returns how to disconnect it when the client leaves. */
  attach: (sink: SseSink) => () => void;
}

/** A real stream: every event flushed as it happens, with ids, heartbeats and detach on disconnect. */
export function createSseResponse({ requestSignal, heartbeatMs, attach }: SseOptions): Response {
  const encoder = new TextEncoder();
  let closed = false;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let detach: (() => void) | undefined;

  const cleanup = () => {
    if (heartbeat) clearInterval(heartbeat);
    heartbeat = undefined;
    requestSignal.removeEventListener("abort", onDisconnect);
    const run = detach;
    detach = undefined;
    run?.();
  };
  const onDisconnect = () => {
    closed = true;
    cleanup();
  };

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          closed = true;
        }
      };
      const sink: SseSink = {
        send: (id, event) => write(encodeEvent(id, toWireEvent(event))),
        preview: (data) => write(encodePreview(data)),
        close: () => {
          if (closed) return;
          closed = true;
          cleanup();
          try {
            controller.close();
          } catch {
            // Already closed by a cancel.
          }
        },
      };
      // Paint something at once so proxies and browsers commit to streaming.
      write(encodeComment("stream open"));
      heartbeat = setInterval(() => write(encodeComment("ping")), heartbeatMs);
      requestSignal.addEventListener("abort", onDisconnect, { once: true });
      const detachFn = attach(sink);
      if (closed) detachFn();
      else detach = detachFn;
    },
    cancel() {
      closed = true;
      cleanup();
    },
  });

  return new Response(stream, { status: 200, headers: SSE_HEADERS });
}
