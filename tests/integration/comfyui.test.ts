import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { freePort, makeTempDir, removeDir, startApp, type AppServer } from "../support/app-server";
import { startComfyUiStandIn, type ComfyUiStandIn } from "../support/fakes/comfyui";
import { BRIEF, generate } from "../support/generation-client";
import { postSse, readMessagesUntil, sseJson } from "../support/sse-client";

/**
 * ComfyUI (#23.5) over the real app against a stand-in written from ComfyUI 0.38.1's server.py:
 * the bundled SDXL and FLUX workflows and a user's own, filled by their named nodes; steps and
 * binary previews from /ws; the picture from /history and /view; Stop as /interrupt; the packshot
 * through /upload/image.
 */

let comfy: ComfyUiStandIn;
let app: AppServer;
let custom: AppServer;
const dataDirs: string[] = [];
const dataDir = () => {
  const dir = makeTempDir("acg-comfyui-");
  dataDirs.push(dir);
  return dir;
};

const RED = "#d01f2f";
/** A workflow of the user's own: SDXL that loads the packshot and builds the scene around it. */
const AROUND_PRODUCT = {
  "4": { class_type: "CheckpointLoaderSimple", inputs: { ckpt_name: "sd_xl_base_1.0.safetensors" }, _meta: { title: "Load Checkpoint" } },
  "10": { class_type: "LoadImage", inputs: { image: "placeholder.png" }, _meta: { title: "ad:image" } },
  "5": { class_type: "EmptyLatentImage", inputs: { width: 512, height: 512, batch_size: 1 }, _meta: { title: "ad:size" } },
  "6": { class_type: "CLIPTextEncode", inputs: { text: "", clip: ["4", 1] }, _meta: { title: "ad:prompt" } },
  "3": { class_type: "KSampler", inputs: { seed: 1, steps: 6, cfg: 6, sampler_name: "euler", scheduler: "normal", denoise: 0.8, model: ["4", 0], positive: ["6", 0], negative: ["6", 0], latent_image: ["5", 0] }, _meta: { title: "ad:seed" } },
  "8": { class_type: "VAEDecode", inputs: { samples: ["3", 0], vae: ["4", 2] }, _meta: { title: "VAE Decode" } },
  "9": { class_type: "SaveImage", inputs: { filename_prefix: "mine", images: ["8", 0] }, _meta: { title: "Save Image" } },
};

beforeAll(async () => {
  comfy = await startComfyUiStandIn();
  const closed = `http://127.0.0.1:${await freePort()}`;
  const offline = { POLLINATIONS_BASE_URL: closed, POLLINATIONS_LEGACY_URL: closed };
  const workflowDir = dataDir();
  const workflowFile = path.join(workflowDir, "around-product.json");
  fs.writeFileSync(workflowFile, JSON.stringify(AROUND_PRODUCT));
  [app, custom] = await Promise.all([
    startApp({ ...offline, COMFYUI_URL: comfy.url, DATA_DIR: dataDir(), GENERATION_TIMEOUT_MS: "20000" }),
    startApp({ ...offline, COMFYUI_URL: comfy.url, COMFYUI_WORKFLOW: workflowFile, DATA_DIR: dataDir() }),
  ]);
});

afterAll(async () => {
  await Promise.all([app?.stop(), custom?.stop()]);
  await comfy?.close();
  for (const dir of dataDirs) removeDir(dir);
});

beforeEach(() => comfy.reset());
afterEach(() => {
  expect(app.outboundAttempts()).toEqual([]);
  expect(custom.outboundAttempts()).toEqual([]);
});

const titled = (graph: Record<string, { inputs: Record<string, unknown>; _meta?: { title?: string } }>, title: string) => Object.values(graph).find((node) => node._meta?.title === title)!.inputs;

describe("ComfyUI", () => {
  it("is offered with its bundled SDXL and FLUX workflows once COMFYUI_URL answers", async () => {
    const listed = (await (await fetch(`${app.url}/api/providers`)).json()) as { providers: { id: string; label: string; available: boolean; models: { id: string; label: string }[] }[] };
    const comfyui = listed.providers.find((provider) => provider.id === "comfyui")!;
    expect(comfyui).toMatchObject({ label: "ComfyUI", available: true });
    expect(comfyui.models.map((model) => model.id)).toEqual(["sdxl", "flux"]);
  });

  it("fills the workflow's named nodes, shows each step and preview from /ws, and fetches the picture from /history and /view", async () => {
    const run = await generate(app.url, { provider: "comfyui", model: "sdxl", count: 1, format: "story", seed: 4242 });
    expect(run.of("error")).toEqual([]);
    const [image] = run.of("image");
    expect(image).toMatchObject({ provider: "comfyui", model: "sdxl", route: "comfyui", sourceWidth: 768, sourceHeight: 1344, width: 1080, height: 1920 });

    const [graph] = [...comfy.prompts.values()];
    const start = run.of("start")[0]!;
    expect(titled(graph!, "ad:prompt").text).toBe(start.prompts[0]);
    expect(titled(graph!, "ad:negative").text).toBe(start.negativePrompt);
    expect(titled(graph!, "ad:size")).toMatchObject({ width: 768, height: 1344 });
    expect(titled(graph!, "ad:seed").seed).toBe(image!.seed);
    // The prompt went with the socket's client id, and an id of ours (a lowercase UUID).
    const submitted = comfy.requests.find((request) => request.path === "/prompt")!.body as { client_id: string; prompt_id: string };
    expect(submitted.prompt_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(comfy.requests.some((request) => request.path === "/ws" || request.path === `/history/${submitted.prompt_id}`)).toBe(true);

    const messages = run.of("progress").map((progress) => progress.message);
    expect(messages).toContain("Step 1 of 25");
    expect(messages).toContain("Step 25 of 25");
    const previews = run.messages.filter((message) => message.event === "preview").map((message) => sseJson<{ kind: string; step?: number; steps?: number; unit?: string }>(message));
    expect(previews.some((preview) => preview.kind === "partial" && preview.steps === 25 && preview.unit === "step")).toBe(true);
    const ad = await sharp(Buffer.from(await (await fetch(`${app.url}${image!.url}`)).arrayBuffer())).metadata();
    expect(ad).toMatchObject({ width: 1080, height: 1920 });
  });

  it("runs FLUX with its own loaders and no negative prompt node", async () => {
    const run = await generate(app.url, { provider: "comfyui", model: "flux", count: 1 });
    expect(run.of("image")[0]).toMatchObject({ model: "flux", sourceWidth: 1024, sourceHeight: 1024 });
    const [graph] = [...comfy.prompts.values()];
    expect(Object.values(graph!).map((node) => node.class_type)).toContain("UNETLoader");
    expect(run.of("progress").map((progress) => progress.message)).toContain("Step 4 of 4");
  });

  it("Stop interrupts the prompt on the ComfyUI server", async () => {
    comfy.control({ stepMs: 400 });
    const controller = new AbortController();
    const response = await postSse(`${app.url}/api/generate-images`, { ...BRIEF, provider: "comfyui", model: "sdxl", count: 1 }, { signal: controller.signal });
    const seen = await readMessagesUntil(response, controller, (messages) => messages.some((m) => m.event === "progress" && /^Step 2 of/.test(sseJson<{ message: string }>(m).message)));
    const jobId = sseJson<{ jobId: string }>(seen.find((m) => m.event === "start")!).jobId;
    expect((await fetch(`${app.url}/api/jobs/${jobId}/cancel`, { method: "POST" })).status).toBe(200);
    const promptId = [...comfy.prompts.keys()][0]!;
    await expect.poll(() => comfy.interrupted(), { timeout: 10_000 }).toContain(promptId);
  });

  it("says ComfyUI's own words when a node fails, and when the workflow names a model the server lacks", async () => {
    comfy.control({ failWith: "Allocation on device 0 would exceed allowed memory. (out of memory)" });
    const failed = await generate(app.url, { provider: "comfyui", model: "sdxl", count: 1 });
    // A node's failure may pass (memory frees up): tried three times, then said in ComfyUI's words.
    expect(comfy.prompts.size).toBe(3);
    expect(failed.of("error")[0]!.message).toMatch(/^ComfyUI could not run the workflow \(KSampler\): Allocation on device 0 would exceed allowed memory/);
    comfy.reset();

    comfy.control({ missing: ["sd_xl_base_1.0.safetensors"] });
    const refused = await generate(app.url, { provider: "comfyui", model: "sdxl", count: 1 });
    const [error] = refused.of("error");
    expect(error).toMatchObject({ code: "bad_request", retryable: false });
    expect(error!.message).toMatch(/^ComfyUI refused the workflow: CheckpointLoaderSimple: Value not in list \(ckpt_name: 'sd_xl_base_1\.0\.safetensors' not in .*\)\. Check that its models are installed on the server\.$/);
    expect(comfy.requests.filter((request) => request.path === "/prompt")).toHaveLength(1);
  });
});

describe("ComfyUI with a workflow of your own (COMFYUI_WORKFLOW)", () => {
  it("offers it first, uploads the packshot to its ad:image node, and builds the scene around the product", async () => {
    const listed = (await (await fetch(`${custom.url}/api/providers`)).json()) as { providers: { id: string; models: { id: string; label: string }[] }[] };
    expect(listed.providers.find((provider) => provider.id === "comfyui")!.models.map((model) => [model.id, model.label])).toEqual([
      ["custom", "Your workflow (around-product.json)"],
      ["sdxl", "SDXL (sd_xl_base_1.0)"],
      ["flux", "FLUX.1 [schnell]"],
    ]);

    const packshot = await sharp({ create: { width: 600, height: 600, channels: 3, background: "#ffffff" } })
      .composite([{ input: await sharp({ create: { width: 180, height: 380, channels: 3, background: RED } }).png().toBuffer(), left: 210, top: 110 }])
      .jpeg({ quality: 95 })
      .toBuffer();
    const uploaded = await fetch(`${custom.url}/api/products`, { method: "POST", headers: { "content-type": "application/octet-stream" }, body: new Uint8Array(packshot) });
    const { productId } = (await uploaded.json()) as { productId: string };
    const design = { brandName: "Aurora", primaryColor: "#1F2A44", secondaryColor: "#F2B84B", headline: "Cold brew, done right", subline: "Small-batch.", cta: "Shop now", layout: "bottom-band", logoId: null, productId };
    const run = await generate(custom.url, { provider: "comfyui", model: "custom", count: 1, format: "instagram-square", design });
    expect(run.of("error")).toEqual([]);
    expect(run.of("progress").some((progress) => progress.message === "Building the scene around the product")).toBe(true);

    const [graph] = [...comfy.prompts.values()];
    const loaded = titled(graph!, "ad:image").image as string;
    expect(loaded).toMatch(/^ad-creative-generator\/packshot-[\w-]+\.png$/);
    const shown = await sharp(comfy.uploads.get(loaded)!).metadata();
    // The packshot in the format's frame (1024² for a square), as an editing model is shown it.
    expect(shown).toMatchObject({ width: 1024, height: 1024, format: "png" });
    expect(titled(graph!, "ad:size")).toMatchObject({ width: 1024, height: 1024 });
  });

  it("refuses to start on a workflow file without the named nodes, naming the variable", async () => {
    const dir = dataDir();
    const broken = path.join(dir, "broken.json");
    fs.writeFileSync(broken, JSON.stringify({ "1": { class_type: "KSampler", inputs: {} } }));
    await expect(startApp({ COMFYUI_URL: comfy.url, COMFYUI_WORKFLOW: broken, DATA_DIR: dir })).rejects.toThrow(/COMFYUI_WORKFLOW: \(.*broken\.json\) has no node titled ad:prompt, ad:seed, ad:size/);
  });
});
