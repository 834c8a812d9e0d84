import type { GenerateRequest, ProviderId } from "@/lib/campaign";
import type { ErrorEvent, GenerationEvent, ImageEvent } from "@/lib/events";

/**
 * The client's model of a run, as a pure reducer: the hook feeds it server events, the
 * components render it. Each slot object is replaced only when that slot changes, so memoised
 * cards for the other images do not re-render (no flicker).
 */

export type Slot =
  | { index: number; status: "queued"; message: string }
  | { index: number; status: "generating" | "retrying"; message: string; attempt: number; startedAt: number }
  | { index: number; status: "done"; image: ImageEvent }
  | { index: number; status: "failed"; error: Pick<ErrorEvent, "code" | "message" | "retryable"> }
  | { index: number; status: "stopped" };

export type Phase = "idle" | "starting" | "running" | "finished" | "stopped";

export interface RunInfo {
  jobId: string;
  provider: ProviderId;
  model: string;
  width: number;
  height: number;
  seed: number;
  prompts: string[];
}

export interface GenerationState {
  phase: Phase;
  slots: Slot[];
  run?: RunInfo;
  /** The request that made the current batch; Retry reuses it with the batch's seed. */
  request?: GenerateRequest;
  /** Problems with the whole request (validation, network), shown above the grid. */
  problem?: string;
  /** Monotonic id of the active stream, so stale events from a stopped stream are ignored. */
  streamId: number;
}

export type GenerationAction =
  | { type: "begin"; streamId: number; request: GenerateRequest; retryIndices?: number[]; now: number }
  | { type: "event"; streamId: number; event: GenerationEvent; now: number }
  | { type: "stopped"; streamId: number }
  | { type: "stream-ended"; streamId: number; problem?: string }
  | { type: "request-failed"; streamId: number; problem: string };

export const initialGenerationState: GenerationState = { phase: "idle", slots: [], streamId: 0 };

const isPending = (slot: Slot) => slot.status === "queued" || slot.status === "generating" || slot.status === "retrying";

function replaceSlot(slots: Slot[], index: number, next: Slot): Slot[] {
  if (index < 0 || index >= slots.length) return slots;
  const copy = slots.slice();
  copy[index] = next;
  return copy;
}

export function generationReducer(state: GenerationState, action: GenerationAction): GenerationState {
  if (action.type === "begin") {
    if (action.retryIndices && state.slots.length > 0) {
      let slots = state.slots;
      for (const index of action.retryIndices) slots = replaceSlot(slots, index, { index, status: "queued", message: "Waiting to start" });
      return { ...state, phase: "starting", slots, problem: undefined, streamId: action.streamId };
    }
    const slots: Slot[] = Array.from({ length: action.request.count }, (_, index) => ({ index, status: "queued", message: "Waiting to start" }));
    return { phase: "starting", slots, request: action.request, streamId: action.streamId };
  }
  if (action.streamId !== state.streamId) return state;

  switch (action.type) {
    case "event":
      return applyEvent(state, action.event, action.now);
    case "stopped": {
      const slots = state.slots.map((slot): Slot => (isPending(slot) ? { index: slot.index, status: "stopped" } : slot));
      return { ...state, phase: "stopped", slots };
    }
    case "stream-ended": {
      if (state.phase === "finished" || state.phase === "stopped") return state;
      const message = action.problem ?? "The connection to the server was lost before this image arrived.";
      const slots = state.slots.map((slot): Slot =>
        isPending(slot) ? { index: slot.index, status: "failed", error: { code: "network", message, retryable: true } } : slot,
      );
      return { ...state, phase: "finished", slots };
    }
    case "request-failed": {
      // Nothing was generated: put retried slots back as they were, or clear a new batch.
      const slots = state.slots.map((slot): Slot =>
        isPending(slot) ? { index: slot.index, status: "failed", error: { code: "bad_request", message: action.problem, retryable: true } } : slot,
      );
      return { ...state, phase: "finished", slots: state.run ? slots : [], problem: action.problem };
    }
  }
}

function applyEvent(state: GenerationState, event: GenerationEvent, now: number): GenerationState {
  switch (event.event) {
    case "start": {
      const { jobId, provider, model, width, height, seed, prompts } = event.data;
      return { ...state, phase: "running", run: { jobId, provider, model, width, height, seed, prompts } };
    }
    case "progress": {
      const { index, status, message, attempt } = event.data;
      const current = state.slots[index];
      if (!current || current.status === "done" || current.status === "failed") return state;
      if (status === "queued") return state;
      const startedAt = current.status === "generating" || current.status === "retrying" ? current.startedAt : now;
      return { ...state, slots: replaceSlot(state.slots, index, { index, status, message, attempt, startedAt }) };
    }
    case "image":
      return { ...state, slots: replaceSlot(state.slots, event.data.index, { index: event.data.index, status: "done", image: event.data }) };
    case "error": {
      const { index, code, message, retryable } = event.data;
      return { ...state, slots: replaceSlot(state.slots, index, { index, status: "failed", error: { code, message, retryable } }) };
    }
    case "done":
      return { ...state, phase: "finished" };
  }
}

export interface Summary {
  total: number;
  succeeded: number;
  failed: number;
  stopped: number;
  finished: number;
  /** The line the marketer reads (and screen readers announce). */
  text: string;
}

export function summarize(state: GenerationState): Summary {
  const total = state.slots.length;
  let succeeded = 0;
  let failed = 0;
  let stopped = 0;
  for (const slot of state.slots) {
    if (slot.status === "done") succeeded++;
    else if (slot.status === "failed") failed++;
    else if (slot.status === "stopped") stopped++;
  }
  const finished = succeeded + failed;
  const images = (n: number) => `${n} image${n === 1 ? "" : "s"}`;
  let text = "";
  if (state.phase === "starting" || state.phase === "running") {
    text = `Generating ${Math.min(finished + 1, total)} of ${images(total)}…`;
  } else if (state.phase === "stopped") {
    text = `Stopped: ${succeeded} of ${images(total)}`;
  } else if (state.phase === "finished" && total > 0) {
    text = failed === 0 ? `Done: ${succeeded} of ${images(total)}` : `${succeeded} of ${images(total)} ready, ${failed} failed`;
  }
  return { total, succeeded, failed, stopped, finished, text };
}
