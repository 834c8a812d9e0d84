import { describe, expect, it } from "vitest";
import { DEFAULT_BRIEF } from "@/lib/campaign";
import { buildPrompts, imageSeed, NEGATIVE_PROMPT, PROMPT_VARIATIONS } from "@/lib/server/generation/prompts";

describe("buildPrompts", () => {
  it("makes the requested number of distinct prompts that mention the product and audience", () => {
    const { prompts, negativePrompt } = buildPrompts(DEFAULT_BRIEF, { count: 8, seed: 42, format: "instagram-square" });
    expect(prompts).toHaveLength(8);
    expect(new Set(prompts).size).toBe(8);
    for (const prompt of prompts) {
      expect(prompt).toContain(DEFAULT_BRIEF.productName);
      expect(prompt).toContain(DEFAULT_BRIEF.targetAudience);
    }
    expect(negativePrompt).toBe(NEGATIVE_PROMPT);
    expect(negativePrompt).toMatch(/text/);
  });

  it("varies composition, setting, lighting and angle between images of one batch", () => {
    const { prompts } = buildPrompts(DEFAULT_BRIEF, { count: 4, seed: 7, format: "instagram-square" });
    for (const options of Object.values(PROMPT_VARIATIONS)) {
      const chosen = prompts.map((prompt) => options.filter((option) => prompt.includes(option)));
      for (const picks of chosen) expect(picks).toHaveLength(1);
      expect(new Set(chosen.map((picks) => picks[0])).size).toBe(4);
    }
  });

  it("is deterministic for the same brief and seed, and changes with the seed", () => {
    const a = buildPrompts(DEFAULT_BRIEF, { count: 4, seed: 1234, format: "instagram-portrait" });
    const b = buildPrompts(DEFAULT_BRIEF, { count: 4, seed: 1234, format: "instagram-portrait" });
    const c = buildPrompts(DEFAULT_BRIEF, { count: 4, seed: 1235, format: "instagram-portrait" });
    expect(a).toEqual(b);
    expect(c.prompts).not.toEqual(a.prompts);
  });

  it("reflects style, tone and format", () => {
    const luxury = buildPrompts({ ...DEFAULT_BRIEF, style: "luxury", tone: "calm" }, { count: 1, seed: 1, format: "story" }).prompts[0];
    expect(luxury).toMatch(/luxury editorial/);
    expect(luxury).toMatch(/calm and serene/);
    expect(luxury).toMatch(/tall vertical/);
  });

  it("collapses newlines and runs of whitespace from the brief", () => {
    const { prompts } = buildPrompts({ ...DEFAULT_BRIEF, productName: "Aurora\n\n  Cold\tBrew" }, { count: 1, seed: 1, format: "instagram-square" });
    expect(prompts[0]).toContain("Aurora Cold Brew");
    expect(prompts[0]).not.toMatch(/\n|\t/);
  });
});

describe("imageSeed", () => {
  it("gives each image of a batch its own stable seed within the 31-bit range", () => {
    const seeds = Array.from({ length: 8 }, (_, i) => imageSeed(2_147_483_000, i));
    expect(new Set(seeds).size).toBe(8);
    for (const seed of seeds) {
      expect(seed).toBeGreaterThanOrEqual(0);
      expect(seed).toBeLessThan(2_147_483_647);
    }
    expect(imageSeed(5, 3)).toBe(imageSeed(5, 3));
  });
});
