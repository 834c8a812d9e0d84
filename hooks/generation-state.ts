import type { AdFormatId } from "@/lib/ad-formats";
import { requestFormats, type CampaignBrief, type GenerateRequest, type ProviderId } from "@/lib/campaign";
import type { Design } from "@/lib/design";
import type { ErrorEvent, ImageEvent, PreviewEvent, StreamEvent } from "@/lib/events";
import type { CreativeVariant } from "@/lib/variants";

/**
 * The client's model of a job, as a pure reducer: the hook feeds it server events (live or
 * replayed), the components render it. Each slot object is replaced only when that slot changes,
 * so memoised cards for the other images do not re-render (no flicker).
 */

/** The newest glimpse of a slot's picture (see the `preview` event). */
export type SlotPreview = Omit<PreviewEvent, "index">;

export type Slot =
  | { index: number; status: "queued"; message: string }
  | { index: number; status: "generating" | "retrying"; message: string; attempt: number; startedAt: number; preview?: SlotPreview }
  /** `previewUrl`: what the slot showed before the ad, kept under it while the ad loads (no flash). */
  | { index: number; status: "done"; image: ImageEvent; previewUrl?: string }
  | { index: number; status: "failed"; error: Pick<ErrorEvent, "code" | "message" | "retryable"> }
  | { index: number; status: "stopped" };

export type Phase = "idle" | "starting" | "running" | "reconnecting" | "finished" | "stopped" | "interrupted";

export interface RunInfo {
  jobId: string;
  provider: ProviderId;
  model: string;
  width: number;
  height: number;
  seed: number;
  prompts: string[];
  brief: CampaignBrief;
  design: Design;
  format: AdFormatId;
  /** What each slot tests, by index, as the run announced it. */
  variants?: (CreativeVariant | null)[];
}

export interface GenerationState {
  phase: Phase;
  slots: Slot[];
  run?: RunInfo;
  /** Each slot's format before the server has answered, so skeletons have their final shape. */
  pendingFormats?: AdFormatId[];
  /** Problems with the whole request (validation, network), shown above the grid. */
  problem?: string;
  /** Monotonic id of the active stream, so stale events from an abandoned stream are ignored. */
  streamId: number;
}

export type GenerationAction =
  | { type: "begin"; streamId: number; request: GenerateRequest }
  | { type: "begin-rerun"; streamId: number }
  | { type: "open-job"; streamId: number }
  | { type: "event"; streamId: number; event: StreamEvent; now: number }
  | { type: "reconnecting"; streamId: number }
  | { type: "design-applied"; design: Design }
  | { type: "stopped"; streamId: number }
  | { type: "stream-ended"; streamId: number; problem?: string }
  | { type: "request-failed"; streamId: number; problem: string };

export const initialGenerationState: GenerationState = { phase: "idle", slots: [], streamId: 0 };

export const isPending = (slot: Slot) => slot.status === "queued" || slot.status === "generating" || slot.status === "retrying";
export const isActive = (phase: Phase) => phase === "starting" || phase === "running" || phase === "reconnecting";

function replaceSlot(slots: Slot[], index: number, next: Slot): Slot[] {
  if (index < 0 || index >= slots.length) return slots;
  const copy = slots.slice();
  copy[index] = next;
  return copy;
}

const queued = (index: number): Slot => ({ index, status: "queued", message: "Waiting to start" });

export function generationReducer(state: GenerationState, action: GenerationAction): GenerationState {
  switch (action.type) {
    case "begin": {
      // The set in each format after the other, as the server makes it.
      const pendingFormats = requestFormats(action.request).flatMap((format) => Array.from({ length: action.request.count }, () => format));
      return { phase: "starting", slots: pendingFormats.map((_, index) => queued(index)), pendingFormats, streamId: action.streamId };
    }
    case "begin-rerun":
      return { ...state, phase: "starting", problem: undefined, streamId: action.streamId };
    case "open-job":
      return { phase: "starting", slots: [], streamId: action.streamId };
    case "design-applied":
      return state.run ? { ...state, run: { ...state.run, design: action.design } } : state;
  }
  if (action.streamId !== state.streamId) return state;

  switch (action.type) {
    case "event":
      return applyEvent(state, action.event, action.now);
    case "reconnecting":
      return { ...state, phase: "reconnecting" };
    case "stopped": {
      const slots = state.slots.map((slot): Slot => (isPending(slot) ? { index: slot.index, status: "stopped" } : slot));
      return { ...state, phase: "stopped", slots };
    }
    case "stream-ended": {
      if (!isActive(state.phase)) return state;
      const message = action.problem ?? "The connection to the server was lost before this image arrived.";
      const slots = state.slots.map((slot): Slot =>
        isPending(slot) ? { index: slot.index, status: "failed", error: { code: "network", message, retryable: true } } : slot,
      );
      return { ...state, phase: "finished", slots, problem: action.problem };
    }
    case "request-failed": {
      // Nothing started: a new batch disappears; slots of a rerun go back to what the server last said.
      const slots = state.run
        ? state.slots.map((slot): Slot => (isPending(slot) ? { index: slot.index, status: "stopped" } : slot))
        : [];
      return { ...state, phase: state.run ? "finished" : "idle", slots, problem: action.problem };
    }
  }
}

function applyEvent(state: GenerationState, event: StreamEvent, now: number): GenerationState {
  switch (event.event) {
    case "start": {
      const { jobId, provider, model, width, height, seed, prompts, brief, design, format, batchSize, indices, variants } = event.data;
      let slots = state.slots.slice(0, batchSize);
      while (slots.length < batchSize) slots.push(queued(slots.length));
      for (const index of indices) slots = replaceSlot(slots, index, queued(index));
      return {
        ...state,
        phase: "running",
        slots,
        problem: undefined,
        run: { jobId, provider, model, width, height, seed, prompts, brief, design, format, ...(variants ? { variants } : {}) },
      };
    }
    case "progress": {
      const { index, status, message, attempt } = event.data;
      const current = state.slots[index];
      if (!current || !isPending(current)) return state;
      if (status === "queued") {
        // Why a slot waits (a one-at-a-time provider); a slot already started stays as it is.
        return current.status === "queued" && current.message !== message ? { ...state, slots: replaceSlot(state.slots, index, { index, status: "queued", message }) } : state;
      }
      const startedAt = current.status === "generating" || current.status === "retrying" ? current.startedAt : now;
      // A retry starts the picture over, so the old attempt's preview goes; new messages keep it.
      const preview = status === "generating" && current.status === "generating" ? current.preview : undefined;
      return { ...state, slots: replaceSlot(state.slots, index, { index, status, message, attempt, startedAt, ...(preview ? { preview } : {}) }) };
    }
    case "preview": {
      const { index, ...preview } = event.data;
      const current = state.slots[index];
      // Previews are transient: one for a slot that is no longer being made is simply dropped.
      if (!current || !(current.status === "queued" || current.status === "generating" || current.status === "retrying")) return state;
      const base = current.status === "queued" ? { message: "Generating", attempt: 1, startedAt: now } : current;
      const message = preview.kind === "raw" ? "Adding your brand and copy" : base.message;
      return { ...state, slots: replaceSlot(state.slots, index, { index, status: "generating", message, attempt: base.attempt, startedAt: base.startedAt, preview }) };
    }
    case "image": {
      const current = state.slots[event.data.index];
      // Under the new ad while it loads: the raw picture, or (after an edit) the ad it replaces.
      const previewUrl = current?.status === "generating" ? current.preview?.url : current?.status === "done" ? current.image.thumbUrl : undefined;
      return { ...state, slots: replaceSlot(state.slots, event.data.index, { index: event.data.index, status: "done", image: event.data, ...(previewUrl ? { previewUrl } : {}) }) };
    }
    case "error": {
      const { index, code, message, retryable } = event.data;
      return { ...state, slots: replaceSlot(state.slots, index, { index, status: "failed", error: { code, message, retryable } }) };
    }
    case "done": {
      const slots = state.slots.map((slot): Slot => (isPending(slot) ? { index: slot.index, status: "stopped" } : slot));
      const phase: Phase = event.data.status === "completed" ? "finished" : event.data.status === "cancelled" ? "stopped" : "interrupted";
      return { ...state, phase, slots };
    }
  }
}

/**
 * What the provider was asked and did not do (no seed, no negative prompt), once each over the
 * set's creatives, with how many it concerns: shown beside the creatives so a marketer knows.
 */
export function providerNotes(state: Pick<GenerationState, "slots">): { message: string; creatives: number }[] {
  const counts = new Map<string, number>();
  for (const slot of state.slots) {
    if (slot.status !== "done") continue;
    for (const message of slot.image.warnings ?? []) counts.set(message, (counts.get(message) ?? 0) + 1);
  }
  return [...counts].map(([message, creatives]) => ({ message, creatives }));
}

/** A slot's format: its ad's, else what the run announced for it, else what the request asked. */
export function formatOfSlot(state: Pick<GenerationState, "run" | "pendingFormats">, slot: Slot): AdFormatId | undefined {
  if (slot.status === "done") return slot.image.format;
  if (state.run) return state.run.variants?.[slot.index]?.format ?? state.run.format;
  return state.pendingFormats?.[slot.index];
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
  if (state.phase === "reconnecting") {
    text = "Reconnecting…";
  } else if (state.phase === "starting" || state.phase === "running") {
    // Only what is true now: how many are ready (and failed), never a guess at which one is "current".
    text = total === 0 || state.phase === "starting" ? "Starting…" : `Generating: ${succeeded} of ${images(total)} ready${failed ? `, ${failed} failed` : ""}…`;
  } else if (state.phase === "stopped") {
    text = `Stopped: ${succeeded} of ${images(total)}`;
  } else if (state.phase === "interrupted") {
    text = `Interrupted: ${succeeded} of ${images(total)} ready`;
  } else if (state.phase === "finished" && total > 0) {
    text = failed === 0 && stopped === 0 ? `Done: ${succeeded} of ${images(total)}` : `${succeeded} of ${images(total)} ready${failed ? `, ${failed} failed` : ""}${stopped ? `, ${stopped} stopped` : ""}`;
  }
  return { total, succeeded, failed, stopped, finished, text };
}
