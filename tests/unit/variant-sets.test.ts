import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { adsManagerCsv, csvCell, taggedUrl } from "@/lib/ads-manager-csv";
import { DEFAULT_BRIEF } from "@/lib/campaign";
import { COPY_LINES, DEFAULT_DESIGN, LAYOUT_IDS } from "@/lib/design";
import { copyLimits } from "@/lib/platform-copy";
import { creativeDesign, planVariants, VARIANT_DIMENSION_IDS } from "@/lib/variants";
import { runGeneration, type GenerationPlan } from "@/lib/server/generation/runner";
import type { ImageProvider, ImageRequest } from "@/lib/server/providers/provider";
import { planCreativeVariants } from "@/lib/server/use-cases/plan-variants";

describe("what each creative of a set tests", () => {
  it("varies only the chosen dimension, and keeps the marketer's copy and layout in the first", () => {
    const copy = planVariants("copy", 4, "split");
    expect(copy.map((plan) => plan.picture)).toEqual([1, 1, 1, 1]);
    expect(copy.map((plan) => plan.layout)).toEqual(["split", "split", "split", "split"]);
    expect(copy.map((plan) => plan.angle)).toEqual([null, "benefit", "social-proof", "urgency"]);

    const layout = planVariants("layout", 4, "split");
    expect(new Set(layout.map((plan) => plan.layout)).size).toBe(4);
    expect(layout[0]!.layout).toBe("split");
    expect(layout.every((plan) => plan.picture === 1 && plan.angle === null)).toBe(true);

    const picture = planVariants("picture", 3, "bottom-band");
    expect(picture.map((plan) => plan.picture)).toEqual([1, 2, 3]);
    expect(picture.every((plan) => plan.angle === null && plan.layout === "bottom-band")).toBe(true);

    const all = planVariants("all", 5, "bottom-band");
    expect(all.map((plan) => plan.picture)).toEqual([1, 2, 3, 4, 5]);
    expect(all.map((plan) => plan.angle)).toEqual([null, "benefit", "social-proof", "urgency", "question"]);
    expect(all.map((plan) => plan.layout)).toEqual(["bottom-band", ...LAYOUT_IDS.filter((id) => id !== "bottom-band"), "bottom-band"]);
  });

  it("writes each angle's copy once, within the format's limits, and labels every creative", async () => {
    for (const dimension of VARIANT_DIMENSION_IDS) {
      const planned = await planCreativeVariants({}, { brief: DEFAULT_BRIEF, design: DEFAULT_DESIGN, format: "story", dimension, count: 4 });
      expect(planned.variants.map((variant) => variant.dimension)).toEqual([dimension, dimension, dimension, dimension]);
      expect(new Set(planned.variants.map((variant) => variant.key)).size).toBe(4);
      expect(planned.variants[0]!.copy).toBeUndefined();
      if (dimension === "copy" || dimension === "all") {
        const headlines = planned.variants.map((variant) => creativeDesign(DEFAULT_DESIGN, variant).headline);
        expect(new Set(headlines).size, headlines.join(" | ")).toBe(4);
        const limits = copyLimits(["story"]);
        for (const variant of planned.variants.slice(1)) {
          expect(variant.writer).toBe("offline");
          for (const line of COPY_LINES) expect(variant.copy![line]!.length).toBeLessThanOrEqual(limits[line]);
        }
      } else {
        expect(planned.variants.every((variant) => variant.copy === undefined)).toBe(true);
      }
    }
    const labels = (await planCreativeVariants({}, { brief: DEFAULT_BRIEF, design: DEFAULT_DESIGN, format: "x", dimension: "all", count: 3 })).variants.map((variant) => variant.label);
    expect(labels).toEqual(["Picture 1 · Your copy · Bottom band", "Picture 2 · Benefit · Top headline", "Picture 3 · Social proof · Centred card"]);
  });

  it("asks the provider once for a picture that several creatives share, and once per picture otherwise", async () => {
    const png = await sharp({ create: { width: 256, height: 256, channels: 3, background: "#3366cc" } }).png().toBuffer();
    const calls: ImageRequest[] = [];
    const status = () => ({ id: "builtin" as const, label: "Fake", model: "fake", models: [], available: true });
    const provider: ImageProvider = { id: "builtin", label: "Fake", status, refresh: async () => status(), planRoutes: async () => ({ ok: true, routes: [{ id: "fake", label: "fake" }] }), generate: async (request) => (calls.push(request), { bytes: png }) };
    for (const [dimension, expected] of [["copy", 1], ["layout", 1], ["picture", 4], ["all", 4]] as const) {
      calls.length = 0;
      const planned = await planCreativeVariants({}, { brief: DEFAULT_BRIEF, design: DEFAULT_DESIGN, format: "instagram-square", dimension, count: 4 });
      const plan: GenerationPlan = {
        jobId: "job", brief: DEFAULT_BRIEF, design: DEFAULT_DESIGN, preset: "auto", format: "instagram-square", provider, model: "fake", routes: [{ id: "fake", label: "fake" }],
        width: 256, height: 256, seed: 1, negativePrompt: "", indices: [0, 1, 2, 3],
        prompts: planned.variants.map((variant) => `scene ${variant.picture}`),
        seeds: planned.variants.map((variant) => variant.picture),
        variants: planned.variants,
      };
      const stored: number[] = [];
      const done = await runGeneration(plan, {
        concurrency: 4, attemptTimeoutMs: 5000, signal: new AbortController().signal, emit: () => {},
        store: async (_bytes, _image, index) => (stored.push(index), { placeholder: "", compositeId: `${index}`, thumbId: `${index}`, rawId: `${index}`, width: 256, height: 256, bytes: 1, mimeType: "image/jpeg", layout: "split" }),
      });
      expect(done.succeeded, dimension).toBe(4);
      expect(stored.sort(), dimension).toEqual([0, 1, 2, 3]);
      expect(calls.length, dimension).toBe(expected);
    }
  });
});

describe("the CSV for ads managers", () => {
  it("has a row per ad with its copy and a landing URL tagged per variant", async () => {
    const planned = await planCreativeVariants({}, { brief: DEFAULT_BRIEF, design: DEFAULT_DESIGN, format: "link", dimension: "copy", count: 2 });
    const design = { ...DEFAULT_DESIGN, landingUrl: "https://aurora.example/cold-brew?ref=spring" };
    const csv = adsManagerCsv(DEFAULT_BRIEF, planned.variants.map((variant, index) => ({ file: `aurora-0${index + 1}.jpg`, format: "link", variant, design: creativeDesign(design, variant), index })));
    expect(csv.startsWith("\uFEFFFile,Format,Variant,Tests,Headline,Primary text,Description,Call to action,URL\r\n")).toBe(true);
    const rows = csv.slice(1).trim().split("\r\n");
    expect(rows).toHaveLength(3);
    expect(rows[1]).toContain("aurora-01.jpg,link,v1-control,Copy: Your copy,\"Cold brew, done right\"");
    expect(rows[1]).toContain("https://aurora.example/cold-brew?ref=spring&utm_source=facebook&utm_medium=paid_social&utm_campaign=aurora-cold-brew&utm_content=v1-control");
    expect(rows[2]).toContain("utm_content=v2-benefit");
    expect(rows[2]).toContain(planned.variants[1]!.copy!.headline!.includes(",") ? `"${planned.variants[1]!.copy!.headline}"` : planned.variants[1]!.copy!.headline!);
  });

  it("quotes what needs quoting and never lets a spreadsheet run a cell as a formula", () => {
    expect(csvCell('Say "hi", now')).toBe('"Say ""hi"", now"');
    expect(csvCell("=HYPERLINK(\"evil\")")).toBe("\"'=HYPERLINK(\"\"evil\"\")\"");
    expect(csvCell("-20% today")).toBe("'-20% today");
    expect(csvCell("line\nbreak")).toBe('"line\nbreak"');
    expect(taggedUrl("", { source: "x", campaign: "c", content: "v1" })).toBe("");
    expect(taggedUrl("https://a.example/?utm_source=old", { source: "x", campaign: "c", content: "v1" })).toBe("https://a.example/?utm_source=x&utm_medium=paid_social&utm_campaign=c&utm_content=v1");
  });
});
