"use client";

import { EventSourceParserStream } from "eventsource-parser/stream";
import { useCallback, useEffect, useReducer, useRef } from "react";
import type { GenerateRequest } from "@/lib/campaign";
import { decodeEvent } from "@/lib/events";
import { generationReducer, initialGenerationState, summarize } from "./generation-state";

/**
 * Owns one generation stream at a time: POSTs the brief, reads the SSE answer with
 * fetch + eventsource-parser (EventSource cannot POST), and feeds typed events to the reducer.
 */
export function useGeneration() {
  const [state, dispatch] = useReducer(generationReducer, initialGenerationState);
  const controllerRef = useRef<AbortController | null>(null);
  const streamCounter = useRef(0);

  const consume = useCallback(async (body: GenerateRequest, retryIndices?: number[]) => {
    controllerRef.current?.abort();
    const controller = new AbortController();
    controllerRef.current = controller;
    const streamId = ++streamCounter.current;
    dispatch({ type: "begin", streamId, request: body, retryIndices, now: Date.now() });

    let sawDone = false;
    try {
      const response = await fetch("/api/generate-images", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
        body: JSON.stringify(retryIndices ? { ...body, indices: retryIndices } : body),
        signal: controller.signal,
      });
      if (!response.ok || !response.body) {
        dispatch({ type: "request-failed", streamId, problem: await describeFailure(response) });
        return;
      }
      const events = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
      const reader = events.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        const event = decodeEvent(value.event, value.data);
        if (!event) continue;
        if (event.event === "done") sawDone = true;
        dispatch({ type: "event", streamId, event, now: Date.now() });
      }
      if (!sawDone) dispatch({ type: "stream-ended", streamId });
    } catch (error) {
      if (controller.signal.aborted) return;
      dispatch({
        type: sawDone ? "stream-ended" : "request-failed",
        streamId,
        problem: `Could not reach the server (${error instanceof Error ? error.message : "network error"}). Check your connection and try again.`,
      });
    } finally {
      if (controllerRef.current === controller) controllerRef.current = null;
    }
  }, []);

  const start = useCallback((request: GenerateRequest) => consume(request), [consume]);

  const stop = useCallback(() => {
    const controller = controllerRef.current;
    if (!controller) return;
    // Closing the stream is the stop signal: the server aborts every in-flight provider call.
    controller.abort();
    controllerRef.current = null;
    dispatch({ type: "stopped", streamId: streamCounter.current });
  }, []);

  const retry = useCallback(
    (index: number) => {
      if (!state.request || !state.run) return;
      void consume({ ...state.request, seed: state.run.seed }, [index]);
    },
    [consume, state.request, state.run],
  );

  useEffect(() => () => controllerRef.current?.abort(), []);

  return { state, summary: summarize(state), start, stop, retry };
}

async function describeFailure(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: string; issues?: { path: string; message: string }[] };
    const details = body.issues?.map((issue) => `${issue.path}: ${issue.message}`).join("; ");
    return [body.error, details].filter(Boolean).join(" ") || `The server answered ${response.status}.`;
  } catch {
    return `The server answered ${response.status}.`;
  }
}
