import "server-only";
import { PROVIDER_NAMES } from "@/lib/providers-meta";
import { z } from "zod";
import { emptyAsUndefined, optionalUrl } from "../../config-fields";
import { randomUUID } from "node:crypto";
import type { ModelOption } from "@/lib/campaign";
import type { GeneratedImage, ImageProvider, ImageRequest, ProviderRoute, ProviderStatus, RoutePlan } from "../provider";
import { errorFromHttpStatus, ProviderError } from "../provider-error";
import { classifyThrown, MAX_IMAGE_BYTES, networkReason } from "../network-error";
import { atReferenceSize, referenceOnBackdrop } from "../product-edit";
import { fillWorkflow, readWorkflowFile, takesProductImage, type ComfyWorkflow } from "./comfyui-workflow";

/** Its settings (validated with the rest in `env.ts`). */
export const comfyUiSettings = {
  /** A ComfyUI server (http://127.0.0.1:8188 beside the app). */
  COMFYUI_URL: optionalUrl,
  /** A workflow of your own in ComfyUI's API format, offered beside the bundled SDXL and FLUX ones; read and checked at start. */
  COMFYUI_WORKFLOW: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .trim()
      .optional()
      .transform((file, context) => {
        if (!file) return undefined;
        const read = readWorkflowFile(file);
        if (read.ok) return read.workflow;
        context.addIssue({ code: "custom", message: read.problem.replace(/^COMFYUI_WORKFLOW /, "") });
        return z.NEVER;
      }),
  ),
};

export interface ComfyUiConfig {
  /** The ComfyUI server, `http://127.0.0.1:8188` when it runs beside the app. */
  url?: string;
  /** The workflows offered: the bundled ones and COMFYUI_WORKFLOW's. */
  workflows: ComfyWorkflow[];
}

const LABEL = PROVIDER_NAMES.comfyui;
const ROUTE: ProviderRoute = { id: "comfyui", label: "ComfyUI API" };
const PROBE_TTL_MS = 30_000;
const PROBE_FAILED_TTL_MS = 10_000;
/** Binary WebSocket frames (ComfyUI's protocol.BinaryEventTypes): a preview, and one with JSON metadata first. */
const PREVIEW_IMAGE = 1;
const PREVIEW_IMAGE_WITH_METADATA = 4;

/**
 * A ComfyUI server, as its own server.py speaks (0.38): the workflow goes to `POST /prompt` with a
 * `client_id`; the client's `/ws` socket carries `progress` (the sampler's step), `executing`,
 * `execution_error` / `execution_interrupted`, and binary preview frames while it samples; the
 * picture is read from `/history/{id}` and fetched with `/view`. Stop sends `POST /interrupt` for
 * the prompt (and takes it off the queue). With a workflow that has an `ad:image` node the
 * packshot is uploaded first (`POST /upload/image`) and the scene is built around it.
 */
export class ComfyUiProvider implements ImageProvider {
  readonly id = "comfyui" as const;
  readonly label = LABEL;
  private probe?: { problem?: string; version?: string; expiresAt: number };

  constructor(
    private readonly config: ComfyUiConfig,
    private readonly now: () => number = Date.now,
  ) {}

  status(): ProviderStatus {
    const models = this.config.workflows.map((workflow): ModelOption => ({ id: workflow.id, label: workflow.label, available: true, routes: [ROUTE.id] }));
    const base = { id: this.id, label: this.label, model: models[0]!.id, models };
    if (!this.config.url) return { ...base, available: false, reason: "Set COMFYUI_URL to your ComfyUI server (http://127.0.0.1:8188 when it runs here)" };
    const fresh = this.probe && this.probe.expiresAt > this.now() ? this.probe : undefined;
    return { ...base, available: !fresh?.problem, ...(fresh?.problem ? { reason: fresh.problem } : {}) };
  }

  async refresh(options: { fresh?: boolean } = {}): Promise<ProviderStatus> {
    if (this.config.url && (options.fresh || !this.probe || this.probe.expiresAt <= this.now())) this.probe = await this.ping(this.config.url);
    return this.status();
  }

  /** `GET /system_stats` says the server is there (and its version). */
  private async ping(url: string): Promise<NonNullable<ComfyUiProvider["probe"]>> {
    try {
      const response = await fetch(`${url}/system_stats`, { headers: { Accept: "application/json" }, signal: AbortSignal.timeout(5_000) });
      if (!response.ok) return { problem: `ComfyUI at COMFYUI_URL answered HTTP ${response.status} to /system_stats: is it ComfyUI?`, expiresAt: this.now() + PROBE_FAILED_TTL_MS };
      const stats = (await response.json()) as { system?: { comfyui_version?: string } };
      return { version: stats.system?.comfyui_version, expiresAt: this.now() + PROBE_TTL_MS };
    } catch (error) {
      return { problem: `Could not reach ComfyUI at COMFYUI_URL: ${networkReason(error)}.`, expiresAt: this.now() + PROBE_FAILED_TTL_MS };
    }
  }

  async planRoutes(model: string): Promise<RoutePlan> {
    const status = await this.refresh();
    if (!status.available) return { ok: false, code: this.config.url ? "upstream" : "invalid", message: status.reason! };
    if (!this.workflow(model)) return { ok: false, code: "invalid", message: `ComfyUI has no workflow called ${model}: choose one of ${this.config.workflows.map((workflow) => workflow.id).join(", ")}.` };
    return { ok: true, routes: [ROUTE] };
  }

  /** A workflow with an `ad:image` node is shown the packshot. */
  buildsAroundProduct(model: string): boolean {
    const workflow = this.workflow(model);
    return Boolean(workflow && takesProductImage(workflow.graph));
  }

  private workflow(id: string): ComfyWorkflow | undefined {
    return this.config.workflows.find((workflow) => workflow.id === id);
  }

  async generate(request: ImageRequest): Promise<GeneratedImage> {
    const url = this.config.url;
    const workflow = this.workflow(request.model);
    if (!url || !workflow) throw new ProviderError("unsupported", `ComfyUI cannot run ${request.model}: set COMFYUI_URL and choose one of its workflows.`);
    const clientId = randomUUID();
    const socket = await openSocket(url, clientId, request.signal);
    // Our own id (ComfyUI takes a client's since 0.3.x), so no message for it can come before we know it.
    let promptId: string | undefined = randomUUID();
    const stop = () => {
      // Fire and forget: off the queue if it waits, interrupted if it runs.
      if (!promptId) return;
      const body = JSON.stringify({ prompt_id: promptId });
      void fetch(`${url}/interrupt`, { method: "POST", headers: { "Content-Type": "application/json" }, body, signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
      void fetch(`${url}/queue`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ delete: [promptId] }), signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
    };
    request.signal.addEventListener("abort", stop, { once: true });
    try {
      const size = { width: request.width, height: request.height };
      const image = request.reference && takesProductImage(workflow.graph) ? await this.upload(url, await referenceOnBackdrop((await request.reference(size)).image), request.signal) : undefined;
      const graph = fillWorkflow(workflow.graph, { prompt: request.prompt, negativePrompt: request.negativePrompt, seed: request.seed, width: request.width, height: request.height, ...(image ? { image } : {}) });
      const finished = followPrompt(socket, () => promptId, request);
      const response = await fetch(`${url}/prompt`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ prompt: graph, client_id: clientId, prompt_id: promptId }), signal: request.signal });
      if (!response.ok) throw await promptRefusal(response);
      // An older server mints its own id: follow that one.
      promptId = ((await response.json()) as { prompt_id?: string }).prompt_id ?? promptId;
      request.report?.("Queued on ComfyUI");
      await finished;
      const bytes = await this.result(url, promptId, request.signal);
      return image ? { bytes: await atReferenceSize(bytes, size), mimeType: "image/png" } : { bytes };
    } catch (error) {
      if (ProviderError.is(error)) throw error;
      classifyThrown(error, LABEL, request.signal);
    } finally {
      request.signal.removeEventListener("abort", stop);
      socket.close();
    }
  }

  /** The packshot into ComfyUI's input folder; the name its LoadImage node takes. */
  private async upload(url: string, png: Buffer, signal: AbortSignal): Promise<string> {
    const form = new FormData();
    form.append("image", new Blob([new Uint8Array(png)], { type: "image/png" }), `packshot-${randomUUID()}.png`);
    form.append("type", "input");
    form.append("subfolder", "ad-creative-generator");
    form.append("overwrite", "true");
    const response = await fetch(`${url}/upload/image`, { method: "POST", body: form, signal });
    if (!response.ok) throw errorFromHttpStatus(`${LABEL} (uploading the packshot)`, response.status, undefined);
    const uploaded = (await response.json()) as { name?: string; subfolder?: string };
    if (!uploaded.name) throw new ProviderError("provider_error", "ComfyUI took the packshot without saying its name.");
    return uploaded.subfolder ? `${uploaded.subfolder}/${uploaded.name}` : uploaded.name;
  }

  /** The first saved picture of the prompt, from its history, fetched with /view. */
  private async result(url: string, promptId: string, signal: AbortSignal): Promise<Buffer> {
    const history = (await (await fetch(`${url}/history/${encodeURIComponent(promptId)}`, { signal })).json()) as Record<string, { outputs?: Record<string, { images?: { filename: string; subfolder?: string; type?: string }[] }> }>;
    const outputs = Object.values(history[promptId]?.outputs ?? {});
    const saved = outputs.flatMap((output) => output.images ?? []);
    const picture = saved.find((image) => image.type === "output") ?? saved[0];
    if (!picture) throw new ProviderError("bad_image", "ComfyUI finished the workflow without saving a picture: does it end in a SaveImage node?");
    const query = new URLSearchParams({ filename: picture.filename, subfolder: picture.subfolder ?? "", type: picture.type ?? "output" });
    const response = await fetch(`${url}/view?${query}`, { signal });
    if (!response.ok) throw errorFromHttpStatus(`${LABEL} (/view)`, response.status, undefined);
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length > MAX_IMAGE_BYTES) throw new ProviderError("bad_image", `${LABEL} sent more than an image should be.`);
    return bytes;
  }
}

function openSocket(url: string, clientId: string, signal: AbortSignal): Promise<WebSocket> {
  const socket = new WebSocket(`${url.replace(/^http/, "ws")}/ws?clientId=${encodeURIComponent(clientId)}`);
  socket.binaryType = "arraybuffer";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new ProviderError("network", "Could not open ComfyUI's /ws socket within 5 s.")), 5_000);
    const fail = (error: unknown) => {
      clearTimeout(timer);
      socket.close();
      reject(error);
    };
    signal.addEventListener("abort", () => fail(signal.reason), { once: true });
    socket.addEventListener("open", () => {
      clearTimeout(timer);
      resolve(socket);
    }, { once: true });
    socket.addEventListener("error", () => fail(new ProviderError("network", "Could not open ComfyUI's /ws socket: check COMFYUI_URL.")), { once: true });
  });
}

/**
 * Resolves when the prompt has run, from the socket's messages for it: its steps and previews are
 * reported as they come, an error or an interruption rejects with ComfyUI's words.
 */
function followPrompt(socket: WebSocket, promptId: () => string | undefined, request: ImageRequest): Promise<void> {
  let step = 0;
  let steps: number | undefined;
  return new Promise((resolve, reject) => {
    const ours = (data: { prompt_id?: string } | undefined) => data?.prompt_id !== undefined && data.prompt_id === promptId();
    socket.addEventListener("close", () => reject(new ProviderError("network", "ComfyUI closed its socket before the picture was done.")));
    socket.addEventListener("message", (message: MessageEvent) => {
      if (message.data instanceof ArrayBuffer) {
        const preview = previewFrame(Buffer.from(message.data), promptId());
        if (preview && step > 0) request.partial?.({ bytes: preview, step, ...(steps ? { steps } : {}), unit: "step" });
        return;
      }
      let parsed: { type?: string; data?: Record<string, unknown> & { prompt_id?: string } };
      try {
        parsed = JSON.parse(String(message.data)) as typeof parsed;
      } catch {
        return;
      }
      const { type, data } = parsed;
      if (!ours(data)) return;
      if (type === "execution_start") request.report?.("Generating on ComfyUI");
      else if (type === "progress" && typeof data!.value === "number") {
        step = data!.value;
        steps = typeof data!.max === "number" ? data!.max : undefined;
        request.report?.(steps ? `Step ${step} of ${steps}` : `Step ${step}`);
      } else if (type === "execution_error") {
        reject(new ProviderError("provider_error", `ComfyUI could not run the workflow (${String(data!.node_type ?? "a node")}): ${String(data!.exception_message ?? "no reason given").trim().slice(0, 200)}`));
      } else if (type === "execution_interrupted") {
        reject(new ProviderError("cancelled", "ComfyUI's run was interrupted."));
      } else if (type === "execution_success" || (type === "executing" && data!.node === null)) {
        resolve();
      }
    });
  });
}

/** The picture in a binary preview frame, when it is one (and, with metadata, one of this prompt's). */
function previewFrame(frame: Buffer, promptId: string | undefined): Buffer | undefined {
  if (frame.length < 8) return undefined;
  const event = frame.readUInt32BE(0);
  if (event === PREVIEW_IMAGE) return frame.subarray(8);
  if (event === PREVIEW_IMAGE_WITH_METADATA) {
    const length = frame.readUInt32BE(4);
    try {
      const metadata = JSON.parse(frame.subarray(8, 8 + length).toString("utf8")) as { prompt_id?: string };
      if (metadata.prompt_id && metadata.prompt_id !== promptId) return undefined;
    } catch {
      return undefined;
    }
    return frame.subarray(8 + length);
  }
  return undefined;
}

/** `POST /prompt`'s 400: the workflow does not validate (a missing model file, a wrong input). */
async function promptRefusal(response: Response): Promise<ProviderError> {
  const body = (await response.json().catch(() => ({}))) as { error?: { message?: string; details?: string }; node_errors?: Record<string, { errors?: { message?: string; details?: string }[]; class_type?: string }> };
  const node = Object.values(body.node_errors ?? {})[0];
  const first = node?.errors?.[0];
  const reason = first ? `${node?.class_type ?? "a node"}: ${first.message ?? ""}${first.details ? ` (${first.details})` : ""}` : (body.error?.message ?? `HTTP ${response.status}`);
  if (response.status === 400) return new ProviderError("bad_request", `ComfyUI refused the workflow: ${reason.slice(0, 240)}. Check that its models are installed on the server.`, { status: 400 });
  return errorFromHttpStatus(LABEL, response.status, reason);
}
