import { describe, expect, it } from "vitest";
import { BUNDLED_WORKFLOWS, fillWorkflow, takesProductImage, workflowProblem, type ComfyGraph } from "@/lib/server/providers/comfyui/comfyui-workflow";

/** ComfyUI workflows are filled by their named nodes (#23.5); a file without them is refused, saying which are missing. */

const values = { prompt: "a bottle on a rock", negativePrompt: "text", seed: 77, width: 768, height: 1344 };
const byTitle = (graph: ComfyGraph, title: string) => Object.values(graph).find((node) => node._meta?.title === title)?.inputs;

describe("ComfyUI workflows", () => {
  it("ships SDXL and FLUX with every named node they need, neither taking the packshot", () => {
    for (const workflow of BUNDLED_WORKFLOWS) {
      expect(workflowProblem(workflow.graph), workflow.id).toBeNull();
      expect(takesProductImage(workflow.graph)).toBe(false);
    }
  });

  it("puts the prompt, negative prompt, seed and size in the named nodes, and leaves the shipped graph untouched", () => {
    const sdxl = BUNDLED_WORKFLOWS.find((workflow) => workflow.id === "sdxl")!.graph;
    const filled = fillWorkflow(sdxl, values);
    expect(byTitle(filled, "ad:prompt")!.text).toBe("a bottle on a rock");
    expect(byTitle(filled, "ad:negative")!.text).toBe("text");
    expect(byTitle(filled, "ad:seed")!.seed).toBe(77);
    expect(byTitle(filled, "ad:size")).toMatchObject({ width: 768, height: 1344 });
    expect(byTitle(sdxl, "ad:prompt")!.text).toBe("");
  });

  it("sets noise_seed where a sampler has one, and the packshot's name in an ad:image node", () => {
    const graph: ComfyGraph = {
      "1": { class_type: "KSamplerAdvanced", inputs: { noise_seed: 0 }, _meta: { title: "ad:seed" } },
      "2": { class_type: "LoadImage", inputs: { image: "x.png" }, _meta: { title: "ad:image" } },
    };
    const filled = fillWorkflow(graph, { ...values, image: "ad-creative-generator/packshot.png" });
    expect(filled["1"]!.inputs).toEqual({ noise_seed: 77 });
    expect(filled["2"]!.inputs.image).toBe("ad-creative-generator/packshot.png");
    expect(takesProductImage(graph)).toBe(true);
  });

  it("refuses what is not an API-format workflow with its named nodes, saying what to do", () => {
    expect(workflowProblem([])).toMatch(/API format/);
    expect(workflowProblem({ nodes: [], links: [] })).toMatch(/every node needs a class_type \(use Export \(API\), not Save\)/);
    expect(workflowProblem({ "1": { class_type: "CLIPTextEncode", inputs: {}, _meta: { title: "ad:prompt" } } })).toBe("has no node titled ad:seed, ad:size: give the nodes for the prompt, the seed and the size these titles.");
  });
});
