/**
 * A stand-in for OpenAI's Images API as documented in the API reference ("Create image" and
 * "Image generation streaming events", platform.openai.com/docs/api-reference/images-streaming)
 * and typed by the official SDK, openai-node v7.60.0 (resources/images.d.ts):
 *
 * - `POST /v1/images/generations` with `Authorization: Bearer <key>` and `{model, prompt, size, n,
 *   output_format, stream, partial_images}`.
 * - `stream: true`: `text/event-stream` of `event: image_generation.partial_image` with
 *   `{type, b64_json, created_at, size, quality, background, output_format, partial_image_index}`
 *   (`partial_images` of them, 0-3), then `event: image_generation.completed` with `{type, b64_json,
 *   created_at, size, quality, background, output_format, usage}`.
 * - Otherwise `{created, data: [{b64_json}], size, quality, background, output_format, usage}`.
 * - Models: the GPT image models of the SDK's `ImageModel`; `gpt-image-1`, shut down on 2026-10-23,
 *   is a 404 `model_not_found` saying so.
 * - Sizes: the GPT image models take 1024x1024, 1536x1024, 1024x1536 and auto; gpt-image-2 and the
 *   2.5 models (and their snapshots) also any WxH in multiples of 16 with an aspect between 1:3 and
 *   3:1. Anything else is a 400.
 * - `POST /v1/images/edits` as `multipart/form-data` (the SDK's `images.edit` with `toFile` uploads):
 *   `image` (png/webp/jpeg), optional `mask` (a PNG of the image's dimensions whose fully
 *   transparent pixels mark what to generate), `prompt`, `model`, `size`, `n`, `output_format`,
 *   `background` (`transparent` refused by gpt-image-2), `input_fidelity` (`high`|`low`, refused by
 *   gpt-image-1-mini), `stream`, `partial_images`. Streamed as `image_edit.partial_image` and
 *   `image_edit.completed` events with the same fields as generation's. The stand-in "model" keeps
 *   what the mask protects but redraws it a little off (its hue turned), as real models do: only a
 *   paste-back of the original makes the product exact.
 * - Errors: `{error: {message, type, param, code}}`: 401 `invalid_api_key`, 400 `invalid_value`,
 *   400 `moderation_blocked`, 429 `rate_limit_exceeded` / `insufficient_quota`. A stream refused by
 *   moderation after it started sends `event: error` with `{type: "error", error: {type, code:
 *   "moderation_blocked", message, param}}` and ends (the SDK raises it as an APIError without a status).
 *
 * - `POST /v1/responses` (the Responses API, `client.responses.create`) with `{model, instructions,
 *   input: [{role, content}], text: {format: {type: "json_schema", name, strict, schema}}}`: a
 *   Response `{id, object: "response", status: "completed", model, output: [{type: "message", role:
 *   "assistant", content: [{type: "output_text", text, annotations}]}], usage}`, the text being JSON
 *   of the schema's properties (see `fake-copywriter.ts`). With `strict: true` a schema whose
 *   objects do not list every property in `required` or allow additional ones is a 400
 *   `invalid_json_schema`, as Structured Outputs refuses it. Text models: gpt-5, gpt-5-mini, gpt-5-nano, gpt-4.1-mini.
 *
 * Control (tests and e2e): `POST /__control {latencyMs?, corruptPartials?: number[], failNext?: {status, code, message}}`,
 * `GET /__requests`.
 */
import type { ServerResponse } from "node:http";
import { CORRUPT_PNG, formingImage } from "./forming-image";
import sharp from "sharp";
import { pause, readFormData, sendJson, startStandInServer, type RecordedRequest, type StandInServer } from "./stand-in-server";
import { readPrompt, writeReply, type TextBehaviour } from "./fake-copywriter";

const MODELS = ["gpt-image-2", "gpt-image-2-2026-04-21", "gpt-image-2.5-sunburst", "gpt-image-2.5-sunburst-2026-09-08", "gpt-image-2.5-flare", "gpt-image-2.5-flare-2026-09-08", "gpt-image-2.6-sunburst", "gpt-image-2.6-flare", "gpt-image-1.5", "gpt-image-1-mini", "chatgpt-image-latest"];
const FREE_SIZE_MODELS = ["gpt-image-2", "gpt-image-2-2026-04-21", "gpt-image-2.5-sunburst", "gpt-image-2.5-sunburst-2026-09-08", "gpt-image-2.5-flare", "gpt-image-2.5-flare-2026-09-08"];
const TEXT_MODELS = ["gpt-5", "gpt-5-mini", "gpt-5-nano", "gpt-4.1-mini"];
const STANDARD_SIZES = ["1024x1024", "1536x1024", "1024x1536", "auto"];

export interface OpenAiControl {
  /** Time from the request to the finished image; partial images are spread across it. */
  latencyMs?: number;
  /** Partial image indices whose bytes are broken. */
  corruptPartials?: number[];
  failNext?: { status: number; code: string; message: string };
  /** The next stream is refused by moderation after its first partial image, with this message. */
  refuseInStream?: string;
  /** The next Responses API answers' behaviours, in order. */
  text?: TextBehaviour[];
}

export interface OpenAiStandIn extends StandInServer {
  /** The base URL the SDK takes (`…/v1`). */
  baseUrl: string;
  requests: RecordedRequest[];
  control(settings: OpenAiControl): void;
  reset(): void;
}

function apiError(response: ServerResponse, status: number, code: string, message: string, param: string | null = null): void {
  sendJson(response, status, { error: { message, type: status === 429 ? "requests" : "invalid_request_error", param, code } });
}

function validSize(model: string, size: string): { width: number; height: number } | null {
  if (size === "auto") return { width: 1024, height: 1024 };
  const match = /^(\d+)x(\d+)$/.exec(size);
  if (!match) return null;
  const width = Number(match[1]);
  const height = Number(match[2]);
  if (STANDARD_SIZES.includes(size)) return { width, height };
  if (!FREE_SIZE_MODELS.includes(model)) return null;
  if (width % 16 || height % 16 || Math.max(width, height) > 3 * Math.min(width, height) || width * height > 3840 * 2160) return null;
  return { width, height };
}

export async function startOpenAiStandIn(options: { keys: string[]; latencyMs?: number; port?: number }): Promise<OpenAiStandIn> {
  const requests: RecordedRequest[] = [];
  const defaults = { latencyMs: options.latencyMs ?? 300, corruptPartials: [] as number[] };
  let settings: Required<Omit<OpenAiControl, "failNext" | "text" | "refuseInStream">> & Pick<OpenAiControl, "failNext" | "refuseInStream"> = { ...defaults };
  const textScript: TextBehaviour[] = [];

  const answerResponses = async (authorization: string | undefined, raw: unknown, response: ServerResponse) => {
    if (!options.keys.includes((authorization ?? "").replace(/^Bearer /, ""))) return apiError(response, 401, "invalid_api_key", "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.");
    const body = (raw ?? {}) as { model?: string; instructions?: string; input?: string | { role: string; content: string }[]; text?: { format?: { type?: string; name?: string; strict?: boolean; schema?: JsonSchema } } };
    const behaviour = textScript.shift() ?? {};
    await pause(behaviour.latencyMs ?? 0, response);
    if (behaviour.status) return sendJson(response, behaviour.status, behaviour.body ?? { error: { message: `HTTP ${behaviour.status}`, type: "server_error", param: null, code: null } });
    const model = body.model ?? "";
    if (!TEXT_MODELS.includes(model)) return apiError(response, 400, "model_not_found", `The requested model '${model}' does not exist.`, "model");
    const format = body.text?.format;
    if (format?.type === "json_schema" && format.strict && !strictSchema(format.schema)) {
      return apiError(response, 400, "invalid_json_schema", `Invalid schema for response_format '${format.name}': In context=(), 'required' is required to be supplied and to be an array including every key in properties.`, "text.format.schema");
    }
    const messages = typeof body.input === "string" ? [{ role: "user", content: body.input }] : (body.input ?? []);
    const asked = readPrompt(messages.filter((message) => message.role === "user").map((message) => String(message.content)));
    const corrected = messages.some((message) => message.role === "assistant");
    const text = behaviour.reply ?? (asked ? writeReply(asked, behaviour, corrected) : "{}");
    const created = Math.floor(Date.now() / 1000);
    return sendJson(response, 200, {
      id: `resp_${created.toString(16)}${Math.random().toString(16).slice(2, 10)}`,
      object: "response",
      created_at: created,
      status: "completed",
      error: null,
      incomplete_details: null,
      instructions: body.instructions ?? null,
      model,
      output: [{ id: `msg_${Math.random().toString(16).slice(2, 14)}`, type: "message", status: "completed", role: "assistant", content: [{ type: "output_text", text, annotations: [] }] }],
      parallel_tool_calls: true,
      temperature: 1,
      tool_choice: "auto",
      tools: [],
      top_p: 1,
      text: { format: format ?? { type: "text" } },
      usage: { input_tokens: 180, input_tokens_details: { cached_tokens: 0 }, output_tokens: 90, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 270 },
    });
  };

  const answerEdit = async (authorization: string | undefined, record: RecordedRequest, response: ServerResponse) => {
    if (!options.keys.includes((authorization ?? "").replace(/^Bearer /, ""))) return apiError(response, 401, "invalid_api_key", "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.");
    if (!(record.headers["content-type"] ?? "").startsWith("multipart/form-data")) return apiError(response, 400, "invalid_request_error", "Expected a multipart/form-data body.");
    const form = await readFormData(record);
    const field = (name: string) => (typeof form.get(name) === "string" ? (form.get(name) as string) : undefined);
    const upload = async (name: string) => {
      const file = form.get(name);
      if (!file || typeof file === "string") return undefined;
      const bytes = Buffer.from(await file.arrayBuffer());
      const meta = await sharp(bytes).metadata().catch(() => undefined);
      return { bytes, type: file.type, format: meta?.format, width: meta?.width ?? 0, height: meta?.height ?? 0, hasAlpha: meta?.hasAlpha ?? false };
    };
    const image = await upload("image");
    const mask = await upload("mask");
    const body = { model: field("model") ?? "gpt-image-1.5", prompt: field("prompt"), size: field("size") ?? "auto", stream: field("stream") === "true", partial_images: Number(field("partial_images") ?? 0), output_format: field("output_format") ?? "png", background: field("background"), input_fidelity: field("input_fidelity") };
    // What tests read back: the fields, and the uploads' shapes instead of their bytes.
    record.body = { ...body, image: image && { format: image.format, width: image.width, height: image.height, hasAlpha: image.hasAlpha }, mask: mask && { format: mask.format, width: mask.width, height: mask.height } };
    if (!MODELS.includes(body.model)) return apiError(response, 404, "model_not_found", `The model '${body.model}' does not exist or you do not have access to it.`, "model");
    if (!body.prompt) return apiError(response, 400, "missing_required_parameter", "Missing required parameter: 'prompt'.", "prompt");
    if (!image || !["png", "webp", "jpeg"].includes(image.format ?? "")) return apiError(response, 400, "invalid_image_format", "Invalid input image - format must be in ['image/jpeg', 'image/png', 'image/webp'].", "image");
    if (mask && (mask.format !== "png" || mask.width !== image.width || mask.height !== image.height)) return apiError(response, 400, "invalid_value", "Invalid mask image: the mask must be a PNG with the same dimensions as the image.", "mask");
    if (body.input_fidelity && body.model.startsWith("gpt-image-1-mini")) return apiError(response, 400, "invalid_value", "input_fidelity is not supported for gpt-image-1-mini.", "input_fidelity");
    if (body.background === "transparent" && body.model.startsWith("gpt-image-2")) return apiError(response, 400, "invalid_value", "Transparent backgrounds are not supported for this model.", "background");
    const size = validSize(body.model, body.size);
    if (!size) return apiError(response, 400, "invalid_value", `Invalid value: '${body.size}'. Supported values are: '1024x1024', '1024x1536', '1536x1024', and 'auto'.`, "size");
    if (settings.failNext) {
      const failure = settings.failNext;
      settings.failNext = undefined;
      return apiError(response, failure.status, failure.code, failure.message);
    }

    const seed = [...body.prompt].reduce((sum, char) => (sum * 31 + char.charCodeAt(0)) >>> 0, 7);
    // The scene, with what the mask kept redrawn slightly off-colour, at the asked size.
    const kept = await sharp(image.bytes).resize(size.width, size.height, { fit: "fill" }).ensureAlpha().modulate({ hue: 90 }).png().toBuffer();
    const edited = async (fraction: number) => sharp(await formingImage(size.width, size.height, seed, fraction)).composite([{ input: kept }]).png().toBuffer();
    const common = { created_at: Math.floor(Date.now() / 1000), size: body.size, quality: "medium", background: "opaque", output_format: body.output_format };
    if (!body.stream) {
      await pause(settings.latencyMs, response);
      return sendJson(response, 200, { created: common.created_at, data: [{ b64_json: (await edited(1)).toString("base64") }], ...common, usage: usage() });
    }
    response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
    const interval = settings.latencyMs / (body.partial_images + 1);
    for (let index = 0; index < body.partial_images; index++) {
      await pause(interval, response);
      if (response.destroyed) return;
      const bytes = await edited((index + 1) / (body.partial_images + 1));
      response.write(`event: image_edit.partial_image\ndata: ${JSON.stringify({ type: "image_edit.partial_image", b64_json: bytes.toString("base64"), ...common, partial_image_index: index })}\n\n`);
    }
    await pause(interval, response);
    if (response.destroyed) return;
    response.end(`event: image_edit.completed\ndata: ${JSON.stringify({ type: "image_edit.completed", b64_json: (await edited(1)).toString("base64"), ...common, usage: usage() })}\n\n`);
  };

  const server = await startStandInServer("openai", requests, async (request, response, record) => {
    if (record.path === "/__control" && request.method === "POST") {
      const { text, ...body } = (record.body ?? {}) as OpenAiControl & { reset?: boolean };
      if (body.reset) {
        settings = { ...defaults };
        textScript.length = 0;
      }
      settings = { ...settings, ...body };
      textScript.push(...(text ?? []));
      return sendJson(response, 200, { ok: true });
    }
    if (record.path === "/__requests") return sendJson(response, 200, { requests: requests.filter((item) => !item.path.startsWith("/__")) });
    if (record.path === "/v1/responses" && request.method === "POST") return answerResponses(request.headers.authorization, record.body, response);
    if (record.path === "/v1/images/edits" && request.method === "POST") return answerEdit(request.headers.authorization, record, response);
    if (record.path !== "/v1/images/generations" || request.method !== "POST") return apiError(response, 404, "not_found", `Invalid URL (${request.method} ${record.path})`);

    const key = (request.headers.authorization ?? "").replace(/^Bearer /, "");
    if (!options.keys.includes(key)) return apiError(response, 401, "invalid_api_key", "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.");
    const body = (record.body ?? {}) as { model?: string; prompt?: string; size?: string; stream?: boolean; partial_images?: number; output_format?: string };
    const model = body.model ?? "gpt-image-1.5";
    if (model === "gpt-image-1") return apiError(response, 404, "model_not_found", "The model 'gpt-image-1' was shut down on October 23, 2026. Use gpt-image-2.5-sunburst or gpt-image-2.5-flare instead.", "model");
    if (!MODELS.includes(model)) return apiError(response, 404, "model_not_found", `The model '${model}' does not exist or you do not have access to it.`, "model");
    if (typeof body.prompt !== "string" || !body.prompt) return apiError(response, 400, "missing_required_parameter", "Missing required parameter: 'prompt'.", "prompt");
    const size = validSize(model, body.size ?? "auto");
    if (!size) return apiError(response, 400, "invalid_value", `Invalid value: '${body.size}'. Supported values are: '1024x1024', '1024x1536', '1536x1024', and 'auto'.`, "size");
    const partials = body.partial_images ?? 0;
    if (partials < 0 || partials > 3) return apiError(response, 400, "invalid_value", "partial_images must be between 0 and 3.", "partial_images");
    if (settings.failNext) {
      const failure = settings.failNext;
      settings.failNext = undefined;
      return apiError(response, failure.status, failure.code, failure.message);
    }

    const seed = [...body.prompt].reduce((sum, char) => (sum * 31 + char.charCodeAt(0)) >>> 0, 7);
    const outputFormat = body.output_format ?? "png";
    const common = { created_at: Math.floor(Date.now() / 1000), size: body.size ?? "auto", quality: "medium", background: "opaque", output_format: outputFormat };
    if (!body.stream) {
      await pause(settings.latencyMs, response);
      const bytes = await formingImage(size.width, size.height, seed, 1);
      return sendJson(response, 200, { created: common.created_at, data: [{ b64_json: bytes.toString("base64") }], ...common, usage: usage() });
    }

    response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
    const interval = settings.latencyMs / (partials + 1);
    for (let index = 0; index < partials; index++) {
      await pause(interval, response);
      if (response.destroyed) return;
      const bytes = settings.corruptPartials.includes(index) ? CORRUPT_PNG : await formingImage(size.width, size.height, seed, (index + 1) / (partials + 1));
      response.write(`event: image_generation.partial_image\ndata: ${JSON.stringify({ type: "image_generation.partial_image", b64_json: bytes.toString("base64"), ...common, partial_image_index: index })}\n\n`);
      if (settings.refuseInStream) {
        const message = settings.refuseInStream;
        settings.refuseInStream = undefined;
        response.end(`event: error\ndata: ${JSON.stringify({ type: "error", error: { type: "image_generation_user_error", code: "moderation_blocked", message, param: null } })}\n\n`);
        return;
      }
    }
    await pause(interval, response);
    if (response.destroyed) return;
    const bytes = await formingImage(size.width, size.height, seed, 1);
    response.end(`event: image_generation.completed\ndata: ${JSON.stringify({ type: "image_generation.completed", b64_json: bytes.toString("base64"), ...common, usage: usage() })}\n\n`);
  }, options.port ?? 0);

  return {
    ...server,
    baseUrl: `${server.url}/v1`,
    requests,
    control: ({ text, ...next }) => {
      settings = { ...settings, ...next };
      textScript.push(...(text ?? []));
    },
    reset: () => {
      requests.length = 0;
      settings = { ...defaults };
      textScript.length = 0;
    },
  };
}

function usage() {
  return { input_tokens: 50, input_tokens_details: { image_tokens: 0, text_tokens: 50 }, output_tokens: 1056, total_tokens: 1106 };
}

type JsonSchema = { type?: string; properties?: Record<string, JsonSchema>; required?: string[]; additionalProperties?: boolean; items?: JsonSchema };

/** Structured Outputs' strict mode: every object lists all its properties as required and allows no others. */
function strictSchema(schema: JsonSchema | undefined): boolean {
  if (!schema) return false;
  if (schema.type === "object") {
    const keys = Object.keys(schema.properties ?? {});
    if (schema.additionalProperties !== false || keys.some((key) => !schema.required?.includes(key))) return false;
    return Object.values(schema.properties ?? {}).every(strictSchema);
  }
  if (schema.type === "array") return strictSchema(schema.items);
  return true;
}
