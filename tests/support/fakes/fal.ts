/**
 * A stand-in for fal's queue API as documented at docs.fal.ai ("Queue", model-apis/model-endpoints/queue)
 * and as the official client, @fal-ai/client v1.10.1 (src/queue.ts, src/request.ts, src/response.ts),
 * calls it. An endpoint id `owner/alias/path` is submitted at its full id; the request routes drop the path:
 *
 * - `POST /{owner}/{alias}/{path}` with `Authorization: Key <key>` and the model input
 *   (`{prompt, image_size, seed, num_images, enable_safety_checker, output_format}` for flux):
 *   `{status: "IN_QUEUE", request_id, response_url, status_url, cancel_url, queue_position}`.
 * - `GET /{owner}/{alias}/requests/{id}/status?logs=1`: `202 {status: "IN_QUEUE", queue_position, …}`,
 *   `202 {status: "IN_PROGRESS", logs: [{message, level, source, timestamp}], …}`, then
 *   `200 {status: "COMPLETED", logs, metrics: {inference_time}, …}`.
 * - `GET /{owner}/{alias}/requests/{id}`: the output, `{images: [{url, width, height, content_type}],
 *   timings, seed, has_nsfw_concepts, prompt}`; `400 {detail}` before it is done.
 * - `PUT /{owner}/{alias}/requests/{id}/cancel`: `202 {status: "CANCELLATION_REQUESTED"}`, or
 *   `400 {status: "ALREADY_COMPLETED"}`.
 * - Image edits (FLUX.1 Kontext dev, `fal-ai/flux-kontext/dev`): `{prompt, image_url, seed,
 *   resolution_mode, …}` with `image_url` a data URI (fal takes one for any file input); the result
 *   replaces the plain light backdrop it was shown with a scene and redraws the rest with its hue
 *   turned (see `instruction-edit.ts`), in the input's frame for `resolution_mode: "match_input"`
 *   (the default) and at 1024² for `"auto"`; `422` when `image_url` is not an image. Tests read the
 *   recorded body with `image_url` as the picture's shape.
 * - Errors: `401 {detail}` for a wrong key, `422 {detail: [{loc, msg, type}]}` for bad input.
 * - A start deadline (`X-Fal-Request-Timeout: <seconds>`, the client's `startTimeout`; docs.fal.ai
 *   "Common parameters"): a request still queued when it passes is dropped: its status turns
 *   `COMPLETED`, and its result is `504` with `X-Fal-Request-Timeout-Type: user`.
 * - The picture is served from the stand-in's own `/files/…` (fal.media in production).
 *
 * Control (tests and e2e): `POST /__control {queueAhead?, queueStepMs?, runMs?, nsfw?}`, `GET /__requests`.
 */
import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import sharp from "sharp";
import { formingImage } from "./forming-image";
import { imageFromDataUri, instructionEdit } from "./instruction-edit";
import { sendBytes, sendJson, startStandInServer, type RecordedRequest, type StandInServer } from "./stand-in-server";

export interface FalControl {
  /** Requests ahead of each new one in the queue. */
  queueAhead?: number;
  /** How long each queue position lasts. */
  queueStepMs?: number;
  /** Time running, once out of the queue. */
  runMs?: number;
  /** The safety checker flags the next picture. */
  nsfw?: boolean;
}

export interface FalStandIn extends StandInServer {
  requests: RecordedRequest[];
  /** Request ids whose cancel arrived. */
  cancelled(): string[];
  control(settings: FalControl): void;
  reset(): void;
}

interface QueuedRequest {
  id: string;
  endpoint: string;
  submittedAt: number;
  input: { prompt?: string; image_size?: { width?: number; height?: number } | string; seed?: number; resolution_mode?: string };
  /** The picture an edit was shown. */
  shown?: Buffer;
  queueAhead: number;
  queueStepMs: number;
  runMs: number;
  nsfw: boolean;
  cancelled: boolean;
  /** The start deadline the submit asked for, in ms; none when absent. */
  startTimeoutMs?: number;
}

export async function startFalStandIn(options: { keys: string[]; port?: number }): Promise<FalStandIn> {
  const requests: RecordedRequest[] = [];
  const defaults: Required<FalControl> = { queueAhead: 0, queueStepMs: 200, runMs: 300, nsfw: false };
  let settings = { ...defaults };
  const queue = new Map<string, QueuedRequest>();
  const files = new Map<string, Buffer>();
  const cancelled: string[] = [];
  let url = "";

  const stateOf = (item: QueuedRequest) => {
    const elapsed = Date.now() - item.submittedAt;
    const queued = item.queueAhead * item.queueStepMs;
    if (item.cancelled) return { status: "COMPLETED" as const, position: 0, elapsed };
    if (item.startTimeoutMs !== undefined && queued > item.startTimeoutMs && elapsed >= item.startTimeoutMs) return { status: "COMPLETED" as const, position: 0, elapsed, timedOut: true };
    if (elapsed < queued) return { status: "IN_QUEUE" as const, position: item.queueAhead - Math.floor(elapsed / item.queueStepMs), elapsed };
    if (elapsed < queued + item.runMs) return { status: "IN_PROGRESS" as const, position: 0, elapsed: elapsed - queued };
    return { status: "COMPLETED" as const, position: 0, elapsed: elapsed - queued };
  };
  const links = (item: QueuedRequest) => {
    const base = `${url}/${item.endpoint.split("/").slice(0, 2).join("/")}/requests/${item.id}`;
    return { request_id: item.id, response_url: base, status_url: `${base}/status`, cancel_url: `${base}/cancel` };
  };
  const logsOf = (item: QueuedRequest, elapsedRunning: number) => {
    const lines = ["Loading model weights", "Running inference", "Encoding the image"];
    const shown = Math.min(lines.length, 1 + Math.floor((elapsedRunning / Math.max(1, item.runMs)) * lines.length));
    return lines.slice(0, shown).map((message, index) => ({ message, level: "INFO", source: "USER", timestamp: new Date(item.submittedAt + index).toISOString() }));
  };

  const server = await startStandInServer("fal", requests, async (request, response: ServerResponse, record) => {
    const path = record.path;
    if (path === "/__control" && request.method === "POST") {
      const body = (record.body ?? {}) as FalControl & { reset?: boolean };
      if (body.reset) settings = { ...defaults };
      settings = { ...settings, ...body };
      return sendJson(response, 200, { ok: true });
    }
    if (path === "/__requests") return sendJson(response, 200, { requests: requests.filter((item) => !item.path.startsWith("/__")), cancelled });
    if (path.startsWith("/files/")) {
      const bytes = files.get(path.slice("/files/".length));
      return bytes ? sendBytes(response, "image/png", bytes) : sendJson(response, 404, { detail: "Not found" });
    }
    const key = (request.headers.authorization ?? "").replace(/^Key /, "");
    if (!options.keys.includes(key)) return sendJson(response, 401, { detail: "Cannot access application 'fal-ai/flux'. Authentication is required to access this application." });

    const requestRoute = /^\/([\w.-]+)\/([\w.-]+)\/requests\/([\w-]+)(\/status|\/cancel)?$/.exec(path);
    if (requestRoute) {
      const item = queue.get(requestRoute[3]!);
      if (!item) return sendJson(response, 404, { detail: "Request not found" });
      const state = stateOf(item);
      if (requestRoute[4] === "/cancel" && request.method === "PUT") {
        if (state.status === "COMPLETED") return sendJson(response, 400, { status: "ALREADY_COMPLETED" });
        item.cancelled = true;
        cancelled.push(item.id);
        return sendJson(response, 202, { status: "CANCELLATION_REQUESTED" });
      }
      if (requestRoute[4] === "/status" && request.method === "GET") {
        const withLogs = record.query.logs === "1";
        if (state.status === "IN_QUEUE") return sendJson(response, 202, { status: "IN_QUEUE", queue_position: state.position, ...links(item) });
        if (state.status === "IN_PROGRESS") return sendJson(response, 202, { status: "IN_PROGRESS", logs: withLogs ? logsOf(item, state.elapsed) : null, ...links(item) });
        return sendJson(response, 200, { status: "COMPLETED", logs: withLogs ? logsOf(item, item.runMs) : null, metrics: { inference_time: item.runMs / 1000 }, ...links(item) });
      }
      if (!requestRoute[4] && request.method === "GET") {
        if (item.cancelled) return sendJson(response, 400, { detail: "Request was cancelled" });
        if ("timedOut" in state && state.timedOut) return sendJson(response, 504, { detail: "Request timed out before a runner could start it" }, { "x-fal-request-timeout-type": "user" });
        if (state.status !== "COMPLETED") return sendJson(response, 400, { detail: "Request is still in progress" });
        const size = typeof item.input.image_size === "object" ? item.input.image_size : {};
        let width = size.width ?? 1024;
        let height = size.height ?? 768;
        const name = `${item.id}.png`;
        if (item.shown) {
          const edited = await instructionEdit(item.shown, item.input.seed ?? 0, "png", (item.input.resolution_mode ?? "match_input") === "match_input" ? undefined : { width: 1024, height: 1024 });
          ({ width, height } = edited);
          if (!files.has(name)) files.set(name, edited.bytes);
        }
        if (!files.has(name)) files.set(name, await formingImage(width, height, item.input.seed ?? 0, 1));
        return sendJson(response, 200, {
          images: [{ url: `${url}/files/${name}`, width, height, content_type: "image/png" }],
          timings: { inference: item.runMs / 1000 },
          seed: item.input.seed ?? 0,
          has_nsfw_concepts: [item.nsfw],
          prompt: item.input.prompt ?? "",
        }, { "x-fal-request-id": item.id });
      }
    }
    if (request.method === "POST" && /^\/[\w.-]+\/[\w.-]+(\/[\w.-]+)*$/.test(path)) {
      const input = (record.body ?? {}) as QueuedRequest["input"] & { image_url?: unknown };
      if (typeof input.prompt !== "string" || !input.prompt) return sendJson(response, 422, { detail: [{ loc: ["body", "prompt"], msg: "field required", type: "value_error.missing" }] });
      const shown = imageFromDataUri(input.image_url);
      if (input.image_url !== undefined && !shown) return sendJson(response, 422, { detail: [{ loc: ["body", "image_url"], msg: "Could not load the image from image_url.", type: "image_load_error" }] });
      if (shown) {
        const meta = await sharp(shown).metadata();
        record.body = { ...input, image_url: { width: meta.width, height: meta.height, dataUri: true } };
      }
      const startTimeout = Number(request.headers["x-fal-request-timeout"]);
      const item: QueuedRequest = { id: randomUUID(), endpoint: path.slice(1), submittedAt: Date.now(), input, shown, ...settings, cancelled: false, ...(startTimeout > 0 ? { startTimeoutMs: startTimeout * 1000 } : {}) };
      settings.nsfw = false;
      queue.set(item.id, item);
      return sendJson(response, 200, { status: "IN_QUEUE", queue_position: item.queueAhead, ...links(item) });
    }
    sendJson(response, 404, { detail: "Not Found" });
  }, options.port ?? 0);
  url = server.url;

  return {
    ...server,
    requests,
    cancelled: () => cancelled.slice(),
    control: (next) => {
      settings = { ...settings, ...next };
    },
    reset: () => {
      requests.length = 0;
      cancelled.length = 0;
      settings = { ...defaults };
    },
  };
}
