/**
 * A stand-in for a ComfyUI server as its own source speaks it, Comfy-Org/ComfyUI 0.38.1
 * (server.py: PromptServer's routes, `send_json` / `send_bytes` / `send_image`; BinaryEventTypes):
 *
 * - `GET /system_stats` → `{system: {comfyui_version, …}, devices: […]}`.
 * - `GET /ws?clientId=…` (WebSocket): `{type: "status", data: {status: {exec_info: {queue_remaining}}, sid}}`
 *   on connect; for a prompt of that client: `execution_start {prompt_id, timestamp}`, `executing
 *   {node, display_node, prompt_id}` per node, `progress {value, max, prompt_id, node}` per sampler
 *   step, each followed by a binary preview frame (`>I` event 1 = PREVIEW_IMAGE, `>I` image type
 *   1 = JPEG, then the JPEG), `executed {node, output: {images}, prompt_id}`, `execution_success`,
 *   and `executing {node: null, prompt_id}`; or `execution_error {prompt_id, node_id, node_type,
 *   exception_message, exception_type, traceback}`; or, after `POST /interrupt`,
 *   `execution_interrupted {prompt_id, node_id, node_type, executed}`.
 * - `POST /prompt {prompt, client_id, prompt_id?}` → `{prompt_id, number, node_errors: {}}`; a graph
 *   that does not validate (a node without class_type, an unknown class, a model file the server
 *   lacks) → `400 {error: {type, message, details, extra_info}, node_errors: {id: {errors: [{type,
 *   message, details}], class_type}}}`. A client's prompt_id must be a lowercase UUID.
 * - `POST /interrupt {prompt_id?}`, `POST /queue {delete: [ids]}` → 200.
 * - `GET /history/{prompt_id}` → `{[id]: {prompt, outputs: {node: {images: [{filename, subfolder, type}]}}, status: {status_str, completed}}}` (`{}` until done).
 * - `GET /view?filename&subfolder&type` → the PNG.
 * - `POST /upload/image` (multipart `image`, `type`, `subfolder`, `overwrite`) → `{name, subfolder, type}`.
 *
 * The "model" draws at the `width`/`height` of the latent node (EmptyLatentImage or
 * EmptySD3LatentImage) and the sampler's `seed`; with a LoadImage node it builds around the uploaded
 * picture (see `instruction-edit.ts`). Control: `POST /__control {stepMs?, failWith?}`.
 */
import { randomUUID } from "node:crypto";
import sharp from "sharp";
import { WebSocketServer, type WebSocket } from "ws";
import { formingImage } from "./forming-image";
import { instructionEdit } from "./instruction-edit";
import { readFormData, sendBytes, sendJson, startStandInServer, type RecordedRequest, type StandInServer } from "./stand-in-server";

export interface ComfyUiControl {
  /** Time per sampler step. */
  stepMs?: number;
  /** Every prompt fails in its sampler with this message, until reset. */
  failWith?: string;
  /** Model files the server lacks (a workflow naming one does not validate). */
  missing?: string[];
}

export interface ComfyUiStandIn extends StandInServer {
  requests: RecordedRequest[];
  /** Graphs as the server received them, by prompt id. */
  prompts: Map<string, Record<string, { class_type: string; inputs: Record<string, unknown> }>>;
  /** Prompt ids `POST /interrupt` named. */
  interrupted(): string[];
  /** Files uploaded to the input folder. */
  uploads: Map<string, Buffer>;
  control(settings: ComfyUiControl): void;
  reset(): void;
}

const KNOWN_CLASSES = new Set(["CheckpointLoaderSimple", "EmptyLatentImage", "EmptySD3LatentImage", "CLIPTextEncode", "KSampler", "VAEDecode", "SaveImage", "UNETLoader", "DualCLIPLoader", "VAELoader", "ConditioningZeroOut", "LoadImage", "ImageScale"]);
const INSTALLED_MODELS = new Set(["sd_xl_base_1.0.safetensors", "flux1-schnell.safetensors", "t5xxl_fp8_e4m3fn.safetensors", "clip_l.safetensors", "ae.safetensors"]);
const MODEL_INPUTS = ["ckpt_name", "unet_name", "clip_name1", "clip_name2", "vae_name"];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Graph = Record<string, { class_type?: unknown; inputs?: Record<string, unknown> }>;

export async function startComfyUiStandIn(options: { port?: number } = {}): Promise<ComfyUiStandIn> {
  const requests: RecordedRequest[] = [];
  const defaults: Required<Omit<ComfyUiControl, "failWith">> & Pick<ComfyUiControl, "failWith"> = { stepMs: 40, missing: [] };
  let settings = { ...defaults };
  const sockets = new Map<string, WebSocket>();
  const prompts = new Map<string, Record<string, { class_type: string; inputs: Record<string, unknown> }>>();
  const history = new Map<string, unknown>();
  const outputs = new Map<string, Buffer>();
  const uploads = new Map<string, Buffer>();
  const interrupted: string[] = [];
  const running = new Set<string>();
  let number = 0;
  // One prompt at a time, as ComfyUI's queue runs them.
  let queue: Promise<void> = Promise.resolve();

  const send = (clientId: string, type: string, data: unknown) => sockets.get(clientId)?.send(JSON.stringify({ type, data }));
  const sendPreview = (clientId: string, jpeg: Buffer) => {
    const header = Buffer.alloc(8);
    header.writeUInt32BE(1, 0);
    header.writeUInt32BE(1, 4);
    sockets.get(clientId)?.send(Buffer.concat([header, jpeg]));
  };

  const validate = (graph: Graph): { error: unknown; node_errors: unknown } | null => {
    for (const [id, node] of Object.entries(graph)) {
      if (typeof node?.class_type !== "string") return { error: { type: "invalid_prompt", message: `Cannot execute because a node is missing the class_type property.: Node ID '#${id}'`, details: "", extra_info: {} }, node_errors: {} };
      if (!KNOWN_CLASSES.has(node.class_type)) return { error: { type: "invalid_prompt", message: `Cannot execute because node ${node.class_type} does not exist.: Node ID '#${id}'`, details: "", extra_info: {} }, node_errors: {} };
      for (const input of MODEL_INPUTS) {
        const value = node.inputs?.[input];
        if (typeof value === "string" && (!INSTALLED_MODELS.has(value) || settings.missing.includes(value))) {
          return {
            error: { type: "prompt_outputs_failed_validation", message: "Prompt outputs failed validation", details: "", extra_info: {} },
            node_errors: { [id]: { errors: [{ type: "value_not_in_list", message: "Value not in list", details: `${input}: '${value}' not in ${JSON.stringify([...INSTALLED_MODELS])}`, extra_info: {} }], dependent_outputs: [], class_type: node.class_type } },
          };
        }
      }
    }
    if (!Object.values(graph).some((node) => node.class_type === "SaveImage")) {
      return { error: { type: "prompt_no_outputs", message: "Prompt has no outputs", details: "", extra_info: {} }, node_errors: {} };
    }
    return null;
  };

  const run = async (promptId: string, clientId: string, graph: Graph) => {
    const nodes = Object.entries(graph) as [string, { class_type: string; inputs: Record<string, unknown> }][];
    const latent = nodes.find(([, node]) => node.class_type === "EmptyLatentImage" || node.class_type === "EmptySD3LatentImage")?.[1].inputs ?? {};
    const [samplerId, sampler] = nodes.find(([, node]) => node.class_type === "KSampler") ?? ["0", { inputs: {} as Record<string, unknown> }];
    const width = Number(latent.width ?? 1024);
    const height = Number(latent.height ?? 1024);
    const seed = Number(sampler.inputs.seed ?? sampler.inputs.noise_seed ?? 0);
    const steps = Number(sampler.inputs.steps ?? 20);
    const loaded = nodes.find(([, node]) => node.class_type === "LoadImage")?.[1].inputs.image;
    const shown = typeof loaded === "string" ? uploads.get(loaded) : undefined;
    running.add(promptId);
    send(clientId, "execution_start", { prompt_id: promptId, timestamp: Date.now() });
    for (const [id, node] of nodes) {
      if (!running.has(promptId)) break;
      send(clientId, "executing", { node: id, display_node: id, prompt_id: promptId });
      if (node.class_type !== "KSampler") continue;
      for (let value = 1; value <= steps; value++) {
        await new Promise((resolve) => setTimeout(resolve, settings.stepMs));
        if (!running.has(promptId)) break;
        if (settings.failWith && value === Math.ceil(steps / 2)) {
          const message = settings.failWith;
          running.delete(promptId);
          send(clientId, "execution_error", { prompt_id: promptId, node_id: samplerId, node_type: "KSampler", executed: [], exception_message: message, exception_type: "torch.OutOfMemoryError", traceback: [], current_inputs: {}, current_outputs: {}, timestamp: Date.now() });
          history.set(promptId, { prompt: [number, promptId, graph, {}, []], outputs: {}, status: { status_str: "error", completed: false, messages: [] } });
          return;
        }
        send(clientId, "progress", { value, max: steps, prompt_id: promptId, node: samplerId });
        const forming = await formingImage(Math.round(width / 4), Math.round(height / 4), seed, value / steps);
        sendPreview(clientId, await sharp(forming).jpeg({ quality: 70 }).toBuffer());
      }
    }
    if (!running.has(promptId)) {
      send(clientId, "execution_interrupted", { prompt_id: promptId, node_id: samplerId, node_type: "KSampler", executed: [], timestamp: Date.now() });
      history.set(promptId, { prompt: [number, promptId, graph, {}, []], outputs: {}, status: { status_str: "error", completed: false, messages: [] } });
      return;
    }
    running.delete(promptId);
    const picture = shown ? (await instructionEdit(shown, seed, "png", { width, height })).bytes : await formingImage(width, height, seed, 1);
    const filename = `ad-creative_${String(++number).padStart(5, "0")}_.png`;
    outputs.set(filename, picture);
    const saveId = nodes.find(([, node]) => node.class_type === "SaveImage")![0];
    const images = [{ filename, subfolder: "", type: "output" }];
    send(clientId, "executed", { node: saveId, display_node: saveId, output: { images }, prompt_id: promptId });
    history.set(promptId, { prompt: [number, promptId, graph, {}, [saveId]], outputs: { [saveId]: { images } }, status: { status_str: "success", completed: true, messages: [] }, meta: {} });
    send(clientId, "execution_success", { prompt_id: promptId, timestamp: Date.now() });
    send(clientId, "executing", { node: null, prompt_id: promptId });
  };

  const server = await startStandInServer(
    "comfyui",
    requests,
    async (request, response, record) => {
      const path = record.path;
      if (path === "/__control" && request.method === "POST") {
        settings = { ...settings, ...((record.body ?? {}) as ComfyUiControl) };
        return sendJson(response, 200, { ok: true });
      }
      if (path === "/system_stats") return sendJson(response, 200, { system: { os: "posix", comfyui_version: "0.38.1", python_version: "3.12.3", pytorch_version: "2.9.0+cu128", argv: ["main.py"] }, devices: [{ name: "cuda:0 NVIDIA GeForce RTX 4090", type: "cuda", index: 0, vram_total: 25_393_692_672, vram_free: 24_000_000_000 }] });
      if (path === "/prompt" && request.method === "POST") {
        const body = (record.body ?? {}) as { prompt?: Graph; client_id?: string; prompt_id?: string };
        if (!body.prompt) return sendJson(response, 400, { error: { type: "no_prompt", message: "No prompt provided", details: "No prompt provided", extra_info: {} }, node_errors: {} });
        if (body.prompt_id !== undefined && !UUID.test(body.prompt_id)) return sendJson(response, 400, { error: { type: "invalid_prompt_id", message: "prompt_id must be a valid UUID", details: "", extra_info: {} }, node_errors: {} });
        const invalid = validate(body.prompt);
        if (invalid) return sendJson(response, 400, invalid);
        const promptId = body.prompt_id ?? randomUUID();
        prompts.set(promptId, body.prompt as Record<string, { class_type: string; inputs: Record<string, unknown> }>);
        const position = number;
        queue = queue.then(() => run(promptId, body.client_id ?? "", body.prompt!)).catch(() => undefined);
        return sendJson(response, 200, { prompt_id: promptId, number: position, node_errors: {} });
      }
      if (path === "/interrupt" && request.method === "POST") {
        const id = (record.body as { prompt_id?: string } | undefined)?.prompt_id;
        if (id) {
          interrupted.push(id);
          running.delete(id);
        } else {
          for (const each of running) interrupted.push(each);
          running.clear();
        }
        return sendJson(response, 200, {});
      }
      if (path === "/queue" && request.method === "POST") return sendJson(response, 200, {});
      const historyMatch = /^\/history\/([\w-]+)$/.exec(path);
      if (historyMatch && request.method === "GET") {
        const entry = history.get(historyMatch[1]!);
        return sendJson(response, 200, entry ? { [historyMatch[1]!]: entry } : {});
      }
      if (path === "/view" && request.method === "GET") {
        const file = record.query.type === "input" ? uploads.get(`${record.query.subfolder ? `${record.query.subfolder}/` : ""}${record.query.filename}`) : outputs.get(record.query.filename ?? "");
        return file ? sendBytes(response, "image/png", file) : sendJson(response, 404, {});
      }
      if (path === "/upload/image" && request.method === "POST") {
        const form = await readFormData(record);
        const image = form.get("image");
        if (!(image instanceof Blob) || !(image as File).name) return sendJson(response, 400, {});
        const subfolder = String(form.get("subfolder") ?? "");
        const name = (image as File).name;
        uploads.set(subfolder ? `${subfolder}/${name}` : name, Buffer.from(await image.arrayBuffer()));
        return sendJson(response, 200, { name, subfolder, type: String(form.get("type") ?? "input") });
      }
      return sendJson(response, 404, {});
    },
    options.port ?? 0,
    (http) => {
      const wss = new WebSocketServer({ noServer: true });
      http.on("upgrade", (request, socket, head) => {
        const url = new URL(request.url ?? "/", "http://127.0.0.1");
        if (url.pathname !== "/ws") return socket.destroy();
        wss.handleUpgrade(request, socket, head, (ws) => {
          const sid = url.searchParams.get("clientId") || randomUUID().replace(/-/g, "");
          sockets.set(sid, ws);
          ws.on("close", () => sockets.delete(sid));
          ws.send(JSON.stringify({ type: "status", data: { status: { exec_info: { queue_remaining: running.size } }, sid } }));
        });
      });
      http.on("close", () => {
        for (const ws of wss.clients) ws.terminate();
        wss.close();
      });
    },
  );

  return {
    ...server,
    requests,
    prompts,
    uploads,
    interrupted: () => interrupted.slice(),
    control: (next) => {
      settings = { ...settings, ...next };
    },
    reset: () => {
      requests.length = 0;
      interrupted.length = 0;
      prompts.clear();
      settings = { ...defaults };
    },
  };
}
