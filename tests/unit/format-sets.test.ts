import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { formatOfSlot, generationReducer, initialGenerationState } from "@/hooks/generation-state";
import { formatSize } from "@/lib/ad-formats";
import { DEFAULT_BRIEF, generateRequestSchema } from "@/lib/campaign";
import { COPY_LINES, DEFAULT_DESIGN } from "@/lib/design";
import { copyLimits } from "@/lib/platform-copy";
import { setFormats } from "@/lib/variants";
import { buildPrompts, reframePrompt } from "@/lib/server/generation/prompts";
import { runGeneration, type GenerationPlan } from "@/lib/server/generation/runner";
import type { ImageProvider, ImageRequest } from "@/lib/server/providers/provider";
import { planCreativeVariants } from "@/lib/server/use-cases/plan-variants";

/** One set in several formats (#22): planned once, made per format at that format's size. */

describe("a set planned in several formats", () => {
  it("repeats every variant in each format after the first, with copy written once to fit them all", async () => {
    const planned = await planCreativeVariants({}, { brief: DEFAULT_BRIEF, design: DEFAULT_DESIGN, format: "x", moreFormats: ["instagram-square", "story"], dimension: "copy", count: 3 });
    expect(planned.variants.map((variant) => variant.format)).toEqual(["x", "x", "x", "instagram-square", "instagram-square", "instagram-square", "story", "story", "story"]);
    const withoutFormat = (variant: (typeof planned.variants)[number]) => ({ ...variant, format: undefined });
    expect(planned.variants.slice(3, 6).map(withoutFormat)).toEqual(planned.variants.slice(0, 3).map(withoutFormat));
    expect(planned.layouts).toHaveLength(9);
    expect(setFormats("x", planned.variants)).toEqual(["x", "instagram-square", "story"]);
    // X shows 70 characters of a headline, Instagram 40: the copy fits the strictest of the set.
    const limits = copyLimits(["x", "instagram-square", "story"]);
    expect(limits.headline).toBe(40);
    for (const variant of planned.variants.slice(1, 3)) for (const line of COPY_LINES) expect(variant.copy![line]!.length).toBeLessThanOrEqual(limits[line]);
  });

  it("keeps a set in one format as it was: no format of its own on any creative", async () => {
    const planned = await planCreativeVariants({}, { brief: DEFAULT_BRIEF, design: DEFAULT_DESIGN, format: "story", dimension: "all", count: 2 });
    expect(planned.variants.map((variant) => variant.format)).toEqual([undefined, undefined]);
  });

  it("reframes a scene's prompt for another format and changes nothing else", () => {
    const design = { ...DEFAULT_DESIGN, layout: "bottom-band" as const };
    const square = buildPrompts(DEFAULT_BRIEF, { count: 3, seed: 7, format: "instagram-square", design }).prompts;
    const story = buildPrompts(DEFAULT_BRIEF, { count: 3, seed: 7, format: "story", design }).prompts;
    // The same scene (seed) planned for a story is what reframing the square one gives.
    expect(square.map((prompt) => reframePrompt(prompt, design, "instagram-square", "story"))).toEqual(story);
    expect(reframePrompt(square[0]!, design, "instagram-square", "instagram-square")).toBe(square[0]);
  });

  it("refuses a format twice in one request, and checks copy against every format's platforms", () => {
    const base = { ...DEFAULT_BRIEF, format: "x" as const, count: 1, design: { ...DEFAULT_DESIGN, headline: "Cold brew, done right, with every single bottle" } };
    expect(generateRequestSchema.safeParse(base).success).toBe(true);
    const paths = (value: unknown) => (generateRequestSchema.safeParse(value).error?.issues ?? []).map((issue) => issue.path.join("."));
    expect(paths({ ...base, moreFormats: ["story"] })).toEqual(["design.headline"]);
    expect(paths({ ...base, design: DEFAULT_DESIGN, moreFormats: ["x"] })).toEqual(["moreFormats.0"]);
    expect(paths({ ...base, design: DEFAULT_DESIGN, moreFormats: ["story", "story"] })).toEqual(["moreFormats.1"]);
  });
});

describe("a run over a set in several formats", () => {
  it("asks the provider for each format's picture at its own size and announces each creative in its format", async () => {
    const png = await sharp({ create: { width: 256, height: 256, channels: 3, background: "#3366cc" } }).png().toBuffer();
    const calls: ImageRequest[] = [];
    const status = () => ({ id: "builtin" as const, label: "Fake", model: "fake", models: [], available: true });
    const provider: ImageProvider = { id: "builtin", label: "Fake", status, refresh: async () => status(), planRoutes: async () => ({ ok: true, routes: [{ id: "fake", label: "fake" }] }), generate: async (request) => (calls.push(request), { bytes: png }) };
    // A copy test: one scene per format, so the square's two creatives share one picture and the story's theirs.
    const planned = await planCreativeVariants({}, { brief: DEFAULT_BRIEF, design: DEFAULT_DESIGN, format: "instagram-square", moreFormats: ["story"], dimension: "copy", count: 2 });
    const { width, height } = formatSize("instagram-square");
    const plan: GenerationPlan = {
      jobId: "job", brief: DEFAULT_BRIEF, design: DEFAULT_DESIGN, preset: "auto", format: "instagram-square", provider, model: "fake", routes: [{ id: "fake", label: "fake" }],
      width, height, seed: 1, negativePrompt: "", indices: [0, 1, 2, 3],
      prompts: planned.variants.map((variant) => `scene ${variant.picture}`),
      seeds: planned.variants.map(() => 1),
      variants: planned.variants,
    };
    const announced: { index: number; format: string }[] = [];
    await runGeneration(plan, {
      concurrency: 1, attemptTimeoutMs: 5000, signal: new AbortController().signal,
      emit: (event) => void (event.event === "image" && announced.push({ index: event.data.index, format: event.data.format })),
      store: async (_bytes, _image, index) => ({ placeholder: "", compositeId: `${index}`, thumbId: `${index}`, rawId: `${index}`, width: 1, height: 1, bytes: 1, mimeType: "image/jpeg", layout: "split" }),
    });
    expect(calls.map((call) => [call.width, call.height])).toEqual([[1024, 1024], [768, 1344]]);
    expect(announced.sort((a, b) => a.index - b.index)).toEqual([
      { index: 0, format: "instagram-square" },
      { index: 1, format: "instagram-square" },
      { index: 2, format: "story" },
      { index: 3, format: "story" },
    ]);
  });
});

describe("the page's slots for a set in several formats", () => {
  it("has a slot per creative in every format from the click, each with its format's shape", () => {
    const request = { ...DEFAULT_BRIEF, format: "link" as const, moreFormats: ["story" as const], count: 2 };
    const state = generationReducer(initialGenerationState, { type: "begin", streamId: 1, request });
    expect(state.slots).toHaveLength(4);
    expect(state.slots.map((slot) => formatOfSlot(state, slot))).toEqual(["link", "link", "story", "story"]);
  });
});
