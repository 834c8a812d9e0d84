import "server-only";
import fs from "node:fs";
import path from "node:path";
import flux from "./workflows/flux.json";
import sdxl from "./workflows/sdxl.json";

/**
 * ComfyUI workflows in its API format (`{nodeId: {class_type, inputs, _meta: {title}}}`, what the
 * UI's "Export (API)" saves). The app fills the nodes it finds by title, so any workflow works
 * that names them:
 *
 * | title | input(s) set |
 * |---|---|
 * | `ad:prompt` | `text` (the scene's prompt) — required |
 * | `ad:negative` | `text` (what to avoid) — optional |
 * | `ad:seed` | `seed` or `noise_seed` — required |
 * | `ad:size` | `width`, `height` (the format's model size) — required |
 * | `ad:image` | `image` (the packshot, uploaded first; a LoadImage node) — optional: with it, the scene is built around the product |
 */
export type ComfyGraph = Record<string, { class_type: string; inputs: Record<string, unknown>; _meta?: { title?: string } }>;

export interface ComfyWorkflow {
  /** The model id the form offers: `sdxl`, `flux`, or `custom` for COMFYUI_WORKFLOW. */
  id: string;
  label: string;
  graph: ComfyGraph;
}

export const BUNDLED_WORKFLOWS: ComfyWorkflow[] = [
  { id: "sdxl", label: "SDXL (sd_xl_base_1.0)", graph: sdxl as ComfyGraph },
  { id: "flux", label: "FLUX.1 [schnell]", graph: flux as ComfyGraph },
];

const REQUIRED = ["ad:prompt", "ad:seed", "ad:size"] as const;

/** A user's workflow file, checked once at start: what is wrong is said with the variable's name. */
export function readWorkflowFile(file: string): { ok: true; workflow: ComfyWorkflow } | { ok: false; problem: string } {
  let graph: unknown;
  try {
    graph = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    return { ok: false, problem: `COMFYUI_WORKFLOW (${file}) cannot be read as JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const problem = workflowProblem(graph);
  if (problem) return { ok: false, problem: `COMFYUI_WORKFLOW (${file}) ${problem}` };
  return { ok: true, workflow: { id: "custom", label: `Your workflow (${path.basename(file)})`, graph: graph as ComfyGraph } };
}

/** Why a graph cannot be used, or null. */
export function workflowProblem(graph: unknown): string | null {
  if (!graph || typeof graph !== "object" || Array.isArray(graph)) return "is not a workflow in ComfyUI's API format (Export (API) in ComfyUI's menu).";
  const nodes = Object.values(graph as Record<string, unknown>);
  if (!nodes.every((node) => node && typeof node === "object" && typeof (node as { class_type?: unknown }).class_type === "string")) {
    return "is not a workflow in ComfyUI's API format: every node needs a class_type (use Export (API), not Save).";
  }
  const titles = new Set(nodes.map((node) => (node as { _meta?: { title?: string } })._meta?.title));
  const missing = REQUIRED.filter((title) => !titles.has(title));
  return missing.length > 0 ? `has no node titled ${missing.join(", ")}: give the nodes for the prompt, the seed and the size these titles.` : null;
}

/** Whether a workflow takes the packshot (a node titled `ad:image`). */
export function takesProductImage(graph: ComfyGraph): boolean {
  return Object.values(graph).some((node) => node._meta?.title === "ad:image");
}

/** A copy of the graph with the run's values in the named nodes. */
export function fillWorkflow(graph: ComfyGraph, values: { prompt: string; negativePrompt: string; seed: number; width: number; height: number; image?: string }): ComfyGraph {
  const filled = structuredClone(graph);
  for (const node of Object.values(filled)) {
    const inputs = node.inputs;
    switch (node._meta?.title) {
      case "ad:prompt":
        inputs.text = values.prompt;
        break;
      case "ad:negative":
        inputs.text = values.negativePrompt;
        break;
      case "ad:seed":
        if ("noise_seed" in inputs) inputs.noise_seed = values.seed;
        else inputs.seed = values.seed;
        break;
      case "ad:size":
        inputs.width = values.width;
        inputs.height = values.height;
        break;
      case "ad:image":
        if (values.image) inputs.image = values.image;
        break;
    }
  }
  return filled;
}
