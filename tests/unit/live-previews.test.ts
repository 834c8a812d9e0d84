import sharp from "sharp";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { previewCaption } from "@/components/creative-preview";
import { generationReducer, initialGenerationState, type GenerationState, type Slot } from "@/hooks/generation-state";
import { DEFAULT_BRIEF } from "@/lib/campaign";
import { DEFAULT_DESIGN } from "@/lib/design";
import { decodeEvent, encodePreview, type PreviewEvent, type StreamEvent } from "@/lib/events";
import { runGeneration, type GenerationPlan } from "@/lib/server/generation/runner";
import { SlotPreviews } from "@/lib/server/generation/slot-previews";
import { makePreview, PREVIEW_MAX_SIDE } from "@/lib/server/previews/preview-image";
import { INLINE_PREVIEW_MAX_BYTES, PreviewStore } from "@/lib/server/previews/preview-store";
import { openAiSize } from "@/lib/server/providers/openai/openai-models";
import type { ImageProvider } from "@/lib/server/providers/provider";

let png: Buffer;
let noisy: Buffer;

beforeAll(async () => {
  png = await sharp({ create: { width: 1024, height: 768, channels: 3, background: "#3366cc" } }).png().toBuffer();
  noisy = await sharp({ create: { width: 400, height: 400, channels: 3, background: "#777777", noise: { type: "gaussian", mean: 128, sigma: 60 } } }).png().toBuffer();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("the preview event on the wire", () => {
  it("has no id line, so it never moves a viewer's Last-Event-ID, and decodes like the others", () => {
    const data: PreviewEvent = { index: 2, url: "data:image/webp;base64,AAAA", kind: "partial", step: 3, steps: 20, unit: "step", etaMs: 4000 };
    const frame = encodePreview(data);
    expect(frame).not.toMatch(/^id:/m);
    expect(frame).toBe(`event: preview\ndata: ${JSON.stringify(data)}\n\n`);
    expect(decodeEvent("preview", JSON.stringify(data))).toEqual({ event: "preview", data });
    expect(decodeEvent("preview", JSON.stringify({ ...data, kind: "final" }))).toBeNull();
    // Names inherited from Object are not events.
    expect(decodeEvent("toString", "{}")).toBeNull();
  });
});

describe("makePreview and PreviewStore", () => {
  it("makes a small WebP no longer than the preview size, and refuses bytes that are not a picture", async () => {
    const webp = await makePreview(png);
    const meta = await sharp(webp).metadata();
    expect(meta).toMatchObject({ format: "webp", width: PREVIEW_MAX_SIDE, height: 384 });
    await expect(makePreview(Buffer.from("not a picture"))).rejects.toThrow();
    await expect(makePreview(png.subarray(0, png.length / 2))).rejects.toThrow();
  });

  it("inlines small previews and serves larger ones by URL until they expire", async () => {
    let now = 0;
    const store = new PreviewStore(() => now);
    const small = await makePreview(png);
    expect(small.length).toBeLessThanOrEqual(INLINE_PREVIEW_MAX_BYTES);
    expect(store.publish(small, "job-a")).toBe(`data:image/webp;base64,${small.toString("base64")}`);

    const large = await sharp(noisy).webp({ quality: 90 }).toBuffer();
    expect(large.length).toBeGreaterThan(INLINE_PREVIEW_MAX_BYTES);
    const url = store.publish(large, "job-a");
    expect(url).toMatch(/^\/api\/previews\/[0-9a-f]{32}$/);
    const id = url.slice(url.lastIndexOf("/") + 1);
    expect(store.get(id)).toEqual({ bytes: large, jobId: "job-a" });
    expect(store.get("../../etc/passwd")).toBeNull();
    now += 5 * 60_000;
    expect(store.get(id)).toBeNull();
  });
});

describe("SlotPreviews", () => {
  const sink = () => {
    const sent: PreviewEvent[] = [];
    return { sent, sink: { publish: (webp: Buffer) => `data:${webp.toString()}`, emit: (data: PreviewEvent) => sent.push(data) } };
  };
  const fakeMake = async (bytes: Buffer) => {
    if (bytes.toString() === "corrupt") throw new Error("not a picture");
    return bytes;
  };

  it("repaints a slot at most every 250 ms: the newest step wins, older ones are dropped unseen", async () => {
    vi.useFakeTimers();
    const { sent, sink: target } = sink();
    const previews = new SlotPreviews(0, target, { make: fakeMake, now: () => Date.now() });
    for (let step = 1; step <= 10; step++) {
      previews.partial({ bytes: Buffer.from(`step ${step}`), step, steps: 30, unit: "step" });
      await vi.advanceTimersByTimeAsync(20);
    }
    // 200 ms of steps arriving every 20 ms: the first at once, then one per 250 ms.
    await vi.advanceTimersByTimeAsync(300);
    expect(sent.map((p) => p.step)).toEqual([1, 10]);
    expect(sent.every((p) => p.kind === "partial" && p.steps === 30)).toBe(true);
  });

  it("skips a corrupt step, and sends nothing once the raw picture is on its way", async () => {
    vi.useFakeTimers();
    const { sent, sink: target } = sink();
    const previews = new SlotPreviews(4, target, { make: fakeMake, now: () => Date.now() });
    previews.partial({ bytes: Buffer.from("corrupt"), step: 1 });
    await vi.advanceTimersByTimeAsync(300);
    previews.partial({ bytes: Buffer.from("step 2"), step: 2 });
    await vi.advanceTimersByTimeAsync(300);
    previews.partial({ bytes: Buffer.from("step 3"), step: 3 });
    const sendRaw = previews.raw(1234);
    previews.partial({ bytes: Buffer.from("step 4"), step: 4 });
    sendRaw?.(Buffer.from("raw"));
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent.map((p) => `${p.kind}:${p.step ?? ""}`)).toEqual(["partial:2", "raw:"]);
    expect(sent.at(-1)).toMatchObject({ index: 4, providerDoneAt: 1234 });
    // The attempt ended while the ad was being made: a late raw preview is not sent.
    const again = new SlotPreviews(4, target, { make: fakeMake, now: () => Date.now() });
    const late = again.raw(99);
    again.close();
    late?.(Buffer.from("raw again"));
    expect(again.raw(99)).toBeUndefined();
    expect(sent).toHaveLength(2);
  });
});

describe("previews nobody watches", () => {
  it("are not made at all: no decode for a job without viewers", async () => {
    let made = 0;
    const sent: PreviewEvent[] = [];
    let watching = false;
    const previews = new SlotPreviews(0, { publish: () => "data:", emit: (data) => sent.push(data), wanted: () => watching }, {
      make: async (bytes) => {
        made++;
        return bytes;
      },
      now: () => Date.now(),
    });
    previews.partial({ bytes: Buffer.from("step"), step: 1 });
    expect(previews.raw(1)).toBeUndefined();
    expect(made).toBe(0);
    watching = true;
    const again = new SlotPreviews(0, { publish: () => "data:", emit: (data) => sent.push(data), wanted: () => watching }, { make: async (bytes) => (made++, bytes), now: () => Date.now() });
    again.partial({ bytes: Buffer.from("step"), step: 1 });
    await new Promise((resolve) => setTimeout(resolve, 10));
    again.raw(1)?.(Buffer.from("raw"));
    expect(made).toBe(1);
    expect(sent.map((p) => p.kind)).toEqual(["partial", "raw"]);
  });
});

describe("the runner with previews", () => {
  it("sends step previews and then the raw picture before the image, and a corrupt step never breaks it", async () => {
    const provider: ImageProvider = {
      id: "local",
      label: "GPU",
      status: () => ({ id: "local", label: "GPU", model: "m", models: [], available: true }),
      refresh: async () => ({ id: "local", label: "GPU", model: "m", models: [], available: true }),
      planRoutes: async () => ({ ok: true, routes: [{ id: "a1111", label: "a1111" }] }),
      async generate(request) {
        request.partial?.({ bytes: Buffer.from("corrupt"), step: 1, steps: 3, unit: "step" });
        await new Promise((resolve) => setTimeout(resolve, 300));
        request.partial?.({ bytes: png, step: 2, steps: 3, unit: "step" });
        await new Promise((resolve) => setTimeout(resolve, 300));
        return { bytes: png };
      },
    };
    const plan: GenerationPlan = {
      jobId: "job",
      brief: DEFAULT_BRIEF,
      design: DEFAULT_DESIGN,
      preset: "auto",
      format: "instagram-square",
      provider,
      model: "m",
      routes: [{ id: "a1111", label: "a1111" }],
      width: 1024,
      height: 768,
      seed: 1,
      prompts: ["p"],
      negativePrompt: "",
      indices: [0],
      seeds: [1],
    };
    const order: string[] = [];
    await runGeneration(plan, {
      concurrency: 1,
      attemptTimeoutMs: 10_000,
      signal: new AbortController().signal,
      emit: (event) => void order.push(event.event),
      previews: { publish: (webp) => `data:image/webp;base64,${webp.toString("base64")}`, emit: (data) => order.push(`preview:${data.kind}:${data.step ?? ""}`) },
      // Like storeCreative: the raw preview from the composite's decode, before the ad.
      store: async (_bytes, _image, _index, onPreview) => (onPreview?.(png), { placeholder: "", compositeId: "a", thumbId: "b", rawId: "c", width: 1080, height: 1080, bytes: 1, mimeType: "image/jpeg", layout: "bottom-band" }),
    });
    expect(order.filter((name) => name !== "progress")).toEqual(["start", "preview:partial:2", "preview:raw:", "image", "done"]);
  });
});


describe("the client's slots", () => {
  const start: StreamEvent = {
    event: "start",
    data: { jobId: "j", total: 2, indices: [0, 1], batchSize: 2, brief: DEFAULT_BRIEF, design: DEFAULT_DESIGN, format: "instagram-square", provider: "local", model: "m", width: 1024, height: 1024, seed: 1, prompts: ["a", "b"], negativePrompt: "" },
  };
  const feed = (state: GenerationState, ...events: StreamEvent[]) => events.reduce((current, event) => generationReducer(current, { type: "event", streamId: 1, event, now: 1000 }), state);
  const begun = generationReducer(initialGenerationState, { type: "begin", streamId: 1, request: { ...DEFAULT_BRIEF, format: "instagram-square", count: 2 } });
  const generating: StreamEvent = { event: "progress", data: { index: 0, status: "generating", attempt: 1, message: "Generating", completed: 0, total: 2 } };
  const step = (n: number): StreamEvent => ({ event: "preview", data: { index: 0, url: `data:step${n}`, kind: "partial", step: n, steps: 20, unit: "step", etaMs: 5000 } });

  it("show the newest preview of a slot and leave the other slot's object untouched", () => {
    const before = feed(begun, start, generating);
    const after = feed(before, step(3), step(7));
    expect(after.slots[0]).toMatchObject({ status: "generating", preview: { url: "data:step7", step: 7 } });
    // The other card's props are the same object: its memoised card does not re-render.
    expect(after.slots[1]).toBe(before.slots[1]);
    // A message keeps the picture; a retry starts it over.
    const message = feed(after, { event: "progress", data: { ...(generating.data as object), message: "Still working" } as never });
    expect((message.slots[0] as Extract<Slot, { attempt: number }>).preview?.url).toBe("data:step7");
    const retrying = feed(after, { event: "progress", data: { index: 0, status: "retrying", attempt: 1, message: "Retrying", completed: 0, total: 2 } });
    expect((retrying.slots[0] as Extract<Slot, { attempt: number }>).preview).toBeUndefined();
  });

  it("keep the last preview under the ad while it loads, and drop previews for a finished slot", () => {
    const withRaw = feed(begun, start, generating, step(19), { event: "preview", data: { index: 0, url: "data:raw", kind: "raw" } });
    expect(withRaw.slots[0]).toMatchObject({ status: "generating", message: "Adding your brand and copy" });
    const image = { index: 0, url: "/api/images/a.jpg", thumbUrl: "/api/images/b.webp", rawUrl: "/api/images/c.png", format: "instagram-square", layout: "bottom-band", width: 1080, height: 1080, seed: 1, prompt: "a", provider: "local", elapsedMs: 1, mimeType: "image/jpeg", bytes: 1, placeholder: "", readyAt: 1 } as const;
    const done = feed(withRaw, { event: "image", data: image });
    expect(done.slots[0]).toMatchObject({ status: "done", previewUrl: "data:raw" });
    const late = feed(done, step(20));
    expect(late).toBe(done);
  });

  it("caption where the provider is", () => {
    expect(previewCaption({ url: "", kind: "partial", step: 12, steps: 30, unit: "step", etaMs: 7600 })).toBe("Step 12 of 30 · 8 s left");
    expect(previewCaption({ url: "", kind: "partial", step: 1, steps: 2, unit: "draft" })).toBe("Draft 1 of 2");
    expect(previewCaption({ url: "", kind: "raw" })).toBe("Adding your brand and copy…");
  });
});

describe("openAiSize", () => {
  it("asks gpt-image-2 for the ad's own shape and older models for the closest standard size", () => {
    expect(openAiSize("gpt-image-2", 768, 1344)).toBe("768x1344");
    expect(openAiSize("gpt-image-2-2026-04-21", 1216, 640)).toBe("1216x640");
    expect(openAiSize("gpt-image-2", 1000, 1000)).toBe("1008x1008");
    expect(openAiSize("gpt-image-1.5", 768, 1344)).toBe("1024x1536");
    expect(openAiSize("gpt-image-2.5-flare", 768, 1344)).toBe("768x1344");
    // The 2.6 models are not among those the SDK says take free sizes.
    expect(openAiSize("gpt-image-2.6-flare", 1216, 640)).toBe("1536x1024");
    expect(openAiSize("gpt-image-1-mini", 1024, 1024)).toBe("1024x1024");
    // Past 3:1 even gpt-image-2 falls back to a standard size.
    expect(openAiSize("gpt-image-2", 2000, 500)).toBe("1536x1024");
  });
});
