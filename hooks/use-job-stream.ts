"use client";

import { EventSourceParserStream } from "eventsource-parser/stream";
import { useCallback, useEffect, useReducer, useRef } from "react";
import type { AdFormatId } from "@/lib/ad-formats";
import type { GenerateRequest, ProviderId } from "@/lib/campaign";
import { cancelJob, describeError, describeFailure, openJobEvents, rerunImages, startGeneration } from "@/lib/client/api";
import type { RerunAction } from "@/lib/client/rerun-action";
import type { Design } from "@/lib/design";
import { decodeEvent, type ImageEvent } from "@/lib/events";
import { generationReducer, initialGenerationState, summarize } from "./generation-state";

const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 4000, 5000];
const MAX_RECONNECT_ATTEMPTS = 30;

/**
 * The stream of a job: starts or reruns it (fetch POST, since EventSource cannot POST), reads the
 * SSE answer with eventsource-parser, and when the connection drops reconnects to the job's
 * events with Last-Event-ID, so no event is lost or repeated. Edits live in use-creative-edits.
 */
export function useJobStream(initialJobId?: string) {
  const [state, dispatch] = useReducer(generationReducer, initialGenerationState);
  const controllerRef = useRef<AbortController | null>(null);
  const streamCounter = useRef(0);
  const jobIdRef = useRef<string | undefined>(initialJobId);

  /** Reads one job's events from `open()`, reconnecting until its run ends. */
  const follow = useCallback(async (streamId: number, open: (signal: AbortSignal) => Promise<Response>) => {
    controllerRef.current?.abort();
    const controller = new AbortController();
    controllerRef.current = controller;
    let lastEventId = 0;
    // Whether the latest run of the job has ended: edits append re-composited images after its
    // `done`, so the last event need not be `done` for a finished job.
    let runEnded = false;
    let failures = 0;
    let first = true;

    while (!controller.signal.aborted) {
      let response: Response;
      try {
        response = first ? await open(controller.signal) : await openJobEvents(jobIdRef.current!, lastEventId, controller.signal);
      } catch (error) {
        if (controller.signal.aborted) return;
        if (first || !jobIdRef.current) {
          dispatch({ type: "request-failed", streamId, problem: `Could not reach the server (${describeError(error)}). Check your connection and try again.` });
          return;
        }
        response = Response.error();
      }
      if (response.type !== "error" && !response.ok) {
        dispatch({ type: "request-failed", streamId, problem: await describeFailure(response) });
        return;
      }
      first = false;

      if (response.body) {
        try {
          const reader = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            const event = decodeEvent(value.event, value.data);
            if (!event) continue;
            if (value.id) lastEventId = Number(value.id);
            if (event.event === "start") runEnded = false;
            if (event.event === "done") runEnded = true;
            failures = 0;
            if (event.event === "start" && jobIdRef.current !== event.data.jobId) {
              jobIdRef.current = event.data.jobId;
              // A reload (or a shared link) reopens this job.
              window.history.replaceState(null, "", `/?job=${encodeURIComponent(event.data.jobId)}`);
            }
            dispatch({ type: "event", streamId, event, now: Date.now() });
          }
        } catch {
          // A dropped connection: fall through to reconnect.
        }
      }
      if (controller.signal.aborted) return;
      // The server closes a job's stream once its run has ended and the log is replayed; anything
      // else was a drop, which can only be resumed once the job's id is known.
      if (runEnded) break;
      if (!jobIdRef.current || failures >= MAX_RECONNECT_ATTEMPTS) {
        dispatch({ type: "stream-ended", streamId });
        break;
      }
      dispatch({ type: "reconnecting", streamId });
      await wait(RECONNECT_DELAYS_MS[Math.min(failures, RECONNECT_DELAYS_MS.length - 1)]!, controller.signal);
      failures++;
    }
    if (controllerRef.current === controller) controllerRef.current = null;
  }, []);

  const start = useCallback(
    (request: GenerateRequest) => {
      const streamId = ++streamCounter.current;
      jobIdRef.current = undefined;
      dispatch({ type: "begin", streamId, request });
      void follow(streamId, (signal) => startGeneration(request, signal));
    },
    [follow],
  );

  /** `using`: make the images with another provider and model than the job's ("Retry with …"). */
  const rerun = useCallback(
    (action: RerunAction, index?: number, using?: { provider: ProviderId; model: string }, format?: AdFormatId) => {
      const jobId = jobIdRef.current;
      if (!jobId) return;
      const streamId = ++streamCounter.current;
      dispatch({ type: "begin-rerun", streamId });
      void follow(streamId, (signal) => rerunImages(jobId, action, index, using, signal, format));
    },
    [follow],
  );

  const watch = useCallback(
    (jobId: string) => {
      const streamId = ++streamCounter.current;
      jobIdRef.current = jobId;
      dispatch({ type: "open-job", streamId });
      void follow(streamId, (signal) => openJobEvents(jobId, undefined, signal));
    },
    [follow],
  );

  const stop = useCallback(() => {
    const jobId = jobIdRef.current;
    if (!jobId) {
      // Not started on the server yet as far as we know: dropping the request is the stop signal.
      controllerRef.current?.abort();
      controllerRef.current = null;
      dispatch({ type: "stopped", streamId: streamCounter.current });
      return;
    }
    // The server aborts every provider call at once; its `done` event ends the stream.
    void cancelJob(jobId).catch(() => {
      controllerRef.current?.abort();
      dispatch({ type: "stopped", streamId: streamCounter.current });
    });
  }, []);

  /** Creatives re-composited by an edit replace theirs in place, as their image events would. */
  const applyImages = useCallback((images: ImageEvent[]) => {
    for (const image of images) dispatch({ type: "event", streamId: streamCounter.current, event: { event: "image", data: image }, now: Date.now() });
  }, []);
  const designApplied = useCallback((design: Design) => dispatch({ type: "design-applied", design }), []);
  const currentJobId = useCallback(() => jobIdRef.current, []);

  useEffect(() => {
    if (initialJobId) watch(initialJobId);
    return () => controllerRef.current?.abort();
  }, [initialJobId, watch]);

  return {
    state,
    summary: summarize(state),
    start,
    stop,
    retry: useCallback((index: number, using?: { provider: ProviderId; model: string }) => rerun("retry", index, using), [rerun]),
    regenerate: useCallback((index: number) => rerun("regenerate", index), [rerun]),
    moreLikeThis: useCallback((index: number) => rerun("more", index), [rerun]),
    resume: useCallback((using?: { provider: ProviderId; model: string }) => rerun("resume", undefined, using), [rerun]),
    /** The finished set made again in another format, beside the ones it has. */
    addFormat: useCallback((format: AdFormatId) => rerun("format", undefined, undefined, format), [rerun]),
    applyImages,
    designApplied,
    currentJobId,
  };
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
