import "server-only";
import { encodeComment, encodeEvent, type GenerationEvent } from "@/lib/events";

export const SSE_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  // no-transform also stops Next's gzip from buffering the stream.
  "Cache-Control": "no-cache, no-transform",
  "X-Accel-Buffering": "no",
  Connection: "keep-alive",
} as const;

export interface SseOptions {
  /** The incoming request's signal: fires when the client goes away. */
  requestSignal: AbortSignal;
  heartbeatMs: number;
  /** Produces events until done; `signal` aborts on disconnect or stream cancel. */
  run: (send: (event: GenerationEvent) => void, signal: AbortSignal) => Promise<void>;
}

/** A real stream: every event is flushed as it happens, with ids, heartbeats and abort on disconnect. */
export function createSseResponse({ requestSignal, heartbeatMs, run }: SseOptions): Response {
  const abort = new AbortController();
  const encoder = new TextEncoder();
  let nextId = 1;
  let closed = false;
  let heartbeat: ReturnType<typeof setInterval> | undefined;

  const onDisconnect = () => abort.abort(new DOMException("Client disconnected", "AbortError"));
  requestSignal.addEventListener("abort", onDisconnect, { once: true });

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
      const finish = () => {
        if (heartbeat) clearInterval(heartbeat);
        requestSignal.removeEventListener("abort", onDisconnect);
        if (closed) return;
        closed = true;
        try {
          controller.close();
        } catch {
          // Already closed by a cancel.
        }
      };
      heartbeat = setInterval(() => write(encodeComment("ping")), heartbeatMs);
      // Paint something at once so proxies and browsers commit to streaming.
      write(encodeComment("stream open"));
      run((event) => write(encodeEvent(nextId++, event)), abort.signal)
        .catch((error: unknown) => {
          console.error("[sse] run failed:", error instanceof Error ? error.message : error);
        })
        .finally(finish);
    },
    cancel() {
      closed = true;
      if (heartbeat) clearInterval(heartbeat);
      abort.abort(new DOMException("Stream cancelled", "AbortError"));
    },
  });

  return new Response(stream, { status: 200, headers: SSE_HEADERS });
}
