import { describe, expect, it } from "vitest";
import { generationReducer, initialGenerationState, providerNotes, summarize, type GenerationState } from "@/hooks/generation-state";
import { DEFAULT_BRIEF } from "@/lib/campaign";
import { DEFAULT_DESIGN } from "@/lib/design";
import type { GenerationEvent } from "@/lib/events";

const start = (indices: number[], batchSize: number): GenerationEvent => ({
  event: "start",
  data: {
    jobId: "job_0123456789ab",
    total: indices.length,
    indices,
    batchSize,
    brief: DEFAULT_BRIEF,
    design: DEFAULT_DESIGN,
    format: "instagram-square",
    provider: "builtin",
    model: "m",
    width: 1024,
    height: 1024,
    seed: 1,
    prompts: Array.from({ length: batchSize }, (_, i) => `p${i}`),
    negativePrompt: "n",
  },
});
const image = (index: number): GenerationEvent => ({
  event: "image",
  data: { index, url: `/u${index}`, thumbUrl: `/t${index}`, rawUrl: `/r${index}`, format: "instagram-square", layout: "bottom-band", width: 1024, height: 1024, seed: index, prompt: `p${index}`, provider: "builtin", elapsedMs: 5, mimeType: "image/png", bytes: 10, placeholder: "data:,", readyAt: 0 },
});
const done = (status: "completed" | "cancelled" | "interrupted"): GenerationEvent => ({
  event: "done",
  data: { jobId: "job_0123456789ab", status, succeeded: 0, failed: 0, cancelled: 0, elapsedMs: 1 },
});

function feed(state: GenerationState, ...events: GenerationEvent[]): GenerationState {
  return events.reduce((s, event) => generationReducer(s, { type: "event", streamId: s.streamId, event, now: 0 }), state);
}

const opened = () => generationReducer(initialGenerationState, { type: "open-job", streamId: 1 });

describe("generation state", () => {
  it("says only what is true while generating, and ends with the right line", () => {
    let state = feed(opened(), start([0, 1, 2, 3], 4));
    expect(summarize(state).text).toBe("Generating: 0 of 4 images ready…");
    state = feed(state, image(2));
    expect(summarize(state).text).toBe("Generating: 1 of 4 images ready…");
    state = feed(state, { event: "error", data: { index: 1, code: "timeout", message: "slow", retryable: true } });
    expect(summarize(state).text).toBe("Generating: 1 of 4 images ready, 1 failed…");
    state = feed(state, image(0), image(1), { event: "error", data: { index: 3, code: "timeout", message: "slow", retryable: true } }, done("completed"));
    // Slot 1 failed, then a retry made its image: the image replaces the failure.
    expect(summarize(state).text).toBe("3 of 4 images ready, 1 failed");
  });

  it("replaying a job's whole log rebuilds the final state, including later runs", () => {
    const state = feed(opened(), start([0, 1], 2), image(0), image(1), done("completed"), start([2], 3), image(2), done("completed"));
    expect(state.slots.map((s) => s.status)).toEqual(["done", "done", "done"]);
    expect(summarize(state).text).toBe("Done: 3 of 3 images");
  });

  it("a waiting slot says why it waits, and a started one keeps its own message", () => {
    let state = feed(opened(), start([0, 1], 2));
    state = feed(state, { event: "progress", data: { index: 1, status: "queued", attempt: 0, message: "Waiting: Your GPU server makes one image at a time", completed: 0, total: 2 } });
    expect(state.slots[1]).toMatchObject({ status: "queued", message: "Waiting: Your GPU server makes one image at a time" });
    state = feed(state, { event: "progress", data: { index: 0, status: "generating", attempt: 1, message: "Generating", completed: 0, total: 2 } });
    const before = state.slots[0];
    state = feed(state, { event: "progress", data: { index: 0, status: "queued", attempt: 0, message: "Waiting for a free slot", completed: 0, total: 2 } });
    expect(state.slots[0]).toBe(before);
  });

  it("a page that reconnects after a restart follows the resumed run: interrupted, then running again, then done", () => {
    // What the log holds after SIGTERM and the next start: the first run's images, the start-up's
    // closing `done`, then the automatic resume of the missing ones.
    let state = feed(opened(), start([0, 1, 2, 3], 4), image(0), image(1), done("interrupted"));
    expect(summarize(state).text).toBe("Interrupted: 2 of 4 images ready");
    state = feed(state, start([2, 3], 4));
    expect(state.phase).toBe("running");
    expect(state.slots.map((s) => s.status)).toEqual(["done", "done", "queued", "queued"]);
    state = feed(state, image(2), image(3), done("completed"));
    expect(summarize(state).text).toBe("Done: 4 of 4 images");
  });

  it("keeps untouched slot objects when one image arrives, so their cards do not re-render", () => {
    const before = feed(opened(), start([0, 1, 2], 3));
    const after = feed(before, image(1));
    expect(after.slots[0]).toBe(before.slots[0]);
    expect(after.slots[2]).toBe(before.slots[2]);
    expect(after.slots[1]).not.toBe(before.slots[1]);
  });

  it("shows Reconnecting… while the stream is being re-established, and Stopped / Interrupted endings", () => {
    let state = feed(opened(), start([0, 1], 2), image(0));
    state = generationReducer(state, { type: "reconnecting", streamId: state.streamId });
    expect(summarize(state).text).toBe("Reconnecting…");
    expect(summarize(feed(state, done("cancelled"))).text).toBe("Stopped: 1 of 2 images");
    expect(summarize(feed(state, done("interrupted"))).text).toBe("Interrupted: 1 of 2 images ready");
  });

  it("ignores events from a stream that was replaced", () => {
    const state = feed(opened(), start([0], 1));
    const next = generationReducer(state, { type: "event", streamId: 99, event: image(0), now: 0 });
    expect(next).toBe(state);
  });
});

describe("provider notes", () => {
  const noted = (index: number, warnings: string[]): GenerationEvent => {
    const event = image(index) as Extract<GenerationEvent, { event: "image" }>;
    return { event: "image", data: { ...event.data, warnings } };
  };

  it("says each thing the provider did not do once, with how many creatives it concerns", () => {
    const state = feed(opened(), start([0, 1, 2], 3), noted(0, ["No seed.", "No negative prompt."]), noted(1, ["No seed."]), image(2));
    expect(providerNotes(state)).toEqual([
      { message: "No seed.", creatives: 2 },
      { message: "No negative prompt.", creatives: 1 },
    ]);
  });

  it("has nothing to say before a creative arrives, or when the provider did all it was asked", () => {
    expect(providerNotes(feed(opened(), start([0], 1)))).toEqual([]);
    expect(providerNotes(feed(opened(), start([0], 1), image(0)))).toEqual([]);
  });
});
