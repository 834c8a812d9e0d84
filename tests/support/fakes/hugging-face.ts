/**
 * A stand-in for Hugging Face as `@huggingface/inference` 4.13.30 and `@huggingface/hub` 2.17.5
 * (the versions in package-lock.json) call it, written from their source in node_modules and the
 * Inference Providers documentation (huggingface.co/docs/inference-providers, Hub API):
 *
 * hub (HF_HUB_URL)
 * - `GET /api/models/{id}?expand[]=inferenceProviderMapping` (the inference client) and
 *   `GET /api/models/{id}/revision/{rev}?expand=…` (the hub client's modelInfo): the model with
 *   `inferenceProviderMapping` as the Hub sends it, an object keyed by provider
 *   `{providerId, status, task}`; `404 {"error":"Repository not found"}` for unknown models.
 *   Like every Hub API call, it answers `401` when it carries a token the Hub does not know.
 * - `GET /api/whoami-v2` with `Authorization: Bearer hf_…`: the account and
 *   `auth.accessToken {displayName, role, fineGrained?}`; `401` for an unknown token.
 *
 * router (HF_ROUTER_URL), Bearer token required (`401 {"error":"Invalid credentials in Authorization header"}`;
 *   `403` for a fine-grained token without the "Make calls to Inference Providers" permission)
 * - `POST /hf-inference/models/{id}` `{inputs, parameters}` → image bytes, at `parameters.width`×`height`.
 * - `POST /fal-ai/{providerId}?_subdomain=queue` `{prompt, …parameters}` → `{request_id, status:"IN_QUEUE", response_url}`;
 *   for image-to-image (FLUX.1 Kontext, `fal-ai/flux-kontext/dev`) the client adds the picture as
 *   `image_url` and `image_urls: [image_url]`, data URIs: the "edit" replaces the plain light
 *   backdrop with a scene and redraws everything else with its hue turned (as models drift), at
 *   the input's size with `resolution_mode: "match_input"` (fal's default for Kontext dev), 1024²
 *   with `"auto"`; `422` when `image_url` is not an image.
 *   `GET /fal-ai/{app}/requests/{id}/status?_subdomain=queue` → `{status: IN_QUEUE | IN_PROGRESS | COMPLETED}`;
 *   `GET /fal-ai/{app}/requests/{id}?_subdomain=queue` → `{images: [{url}]}` on the CDN.
 *   Text-to-image reads the size from `image_size` (`{width, height}` or a preset such as
 *   `square_hd`) as fal's FLUX endpoints do, and answers at `landscape_4_3` (1024×768) without
 *   one: a top-level width and height are ignored (fal Model APIs, FLUX.1 [schnell] input schema).
 * - `POST /nscale/v1/images/generations` `{prompt, model, size: "WxH", response_format}` and
 *   `POST /together/v1/images/generations` `{prompt, model, width, height, response_format}`
 *   → OpenAI-style `{data: [{b64_json}]}`; nscale reads only `size` (1024×1024 without it),
 *   Together only `width`/`height`.
 * - `POST /v1/chat/completions` (the auto-router `chatCompletion` with `provider: "auto"` calls)
 *   `{model, messages, max_tokens, temperature}` → an OpenAI-style chat completion `{id, object,
 *   created, model, choices: [{index, message: {role, content}, finish_reason}], usage}`, as the
 *   client's `getResponse` checks it; the content is a fenced JSON object, as chat models often
 *   write it (see `fake-copywriter.ts`). Unknown models: `400 {error: {message, type, code: "model_not_found"}}`.
 * - `POST /replicate/v1/models/{owner}/{name}/predictions` (`Prefer: wait`) `{input: {prompt, aspect_ratio, …}}`
 *   → `{id, status: "succeeded", output: [url]}` on the CDN; FLUX reads `aspect_ratio` (1:1
 *   without it) and ignores width and height. When the wait ends before the picture (scripted
 *   `polls`), the prediction comes back `processing` with `output: null`, and
 *   `GET /replicate/v1/predictions/{id}` answers it until it has `succeeded`.
 *
 * cdn (a third origin, never rewritten by the app): `GET /files/{name}` serves result images.
 *
 * Every route's answers can be scripted (`script(provider, …)`); the default is a picture of the
 * requested size in a colour derived from the seed. Also steerable from another process through
 * `POST {router}/__control` `{reset?, script?: {provider: behaviour[]}}`.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { fakeImage } from "./fake-image";
import { imageFromDataUri, instructionEdit } from "./instruction-edit";
import { readPrompt, writeReply, type TextBehaviour } from "./fake-copywriter";
import { pause, sendBytes, sendJson, startStandInServer, type RecordedRequest, type StandInServer } from "./stand-in-server";

export type RouteBehaviour =
  | { kind: "ok"; latencyMs?: number; /** fal: status polls before COMPLETED */ polls?: number; /** a picture of another size than asked */ size?: { width: number; height: number } }
  | { kind: "status"; status: number; body?: unknown; retryAfter?: string }
  | { kind: "hang" };

export type RouterProvider = "hf-inference" | "fal-ai" | "nscale" | "together" | "replicate";

export interface MappingEntry {
  provider: string;
  providerId: string;
  status?: "live" | "staging";
  task?: string;
}

export interface TokenInfo {
  name: string;
  /** "read", "write" or "fineGrained". */
  role?: string;
  /** For fine-grained tokens: the user-level permissions, e.g. ["inference.serverless.write"]. */
  permissions?: string[];
}

export interface HuggingFaceStandInOptions {
  /** Model id → its Inference Provider mapping, in the Hub's order. */
  models: Record<string, MappingEntry[]>;
  tokens: Record<string, TokenInfo>;
  /** Chat models the router serves; Llama 3.3 70B (the app's default) when absent. */
  textModels?: string[];
  ports?: { hub?: number; router?: number; cdn?: number };
}

export interface HuggingFaceStandIn {
  hubUrl: string;
  routerUrl: string;
  cdnUrl: string;
  requests: RecordedRequest[];
  script(provider: RouterProvider, ...behaviours: RouteBehaviour[]): void;
  /** The next chat completions' behaviours, in order. */
  scriptChat(...behaviours: TextBehaviour[]): void;
  reset(): void;
  /** Requests of one server, optionally only those whose path starts with `prefix`. */
  of(server: "hub" | "router" | "cdn", prefix?: string): RecordedRequest[];
  open(): number;
  close(): Promise<void>;
}

interface FalJob {
  polls: number;
  image: string;
  width: number;
  height: number;
}

export async function startHuggingFaceStandIn(options: HuggingFaceStandInOptions): Promise<HuggingFaceStandIn> {
  const requests: RecordedRequest[] = [];
  const scripts = new Map<string, RouteBehaviour[]>();
  const chatScripts: TextBehaviour[] = [];
  const textModels = options.textModels ?? ["meta-llama/Llama-3.3-70B-Instruct"];
  const cdnFiles = new Map<string, Buffer>();
  const falJobs = new Map<string, FalJob>();
  const replicateJobs = new Map<string, { polls: number; prediction: Record<string, unknown> }>();
  let cdnUrl = "";

  const next = (provider: string): RouteBehaviour => scripts.get(provider)?.shift() ?? { kind: "ok" };
  const authorised = (request: IncomingMessage) => {
    const match = /^Bearer (.+)$/.exec(request.headers.authorization ?? "");
    return match ? options.tokens[match[1]!] : undefined;
  };

  /** Answers a scripted failure; true when it did, false for "ok". */
  const answerFailure = (behaviour: RouteBehaviour, response: ServerResponse): boolean => {
    if (behaviour.kind === "hang") return true;
    if (behaviour.kind === "status") {
      sendJson(response, behaviour.status, behaviour.body ?? { error: `HTTP ${behaviour.status}` }, behaviour.retryAfter ? { "retry-after": behaviour.retryAfter } : {});
      return true;
    }
    return false;
  };

  /** A picture at the size the provider reads from what it was sent (`asked`), or the scripted one. */
  const picture = async (asked: { width: number; height: number }, seed: unknown, behaviour: Extract<RouteBehaviour, { kind: "ok" }>) => {
    const { width, height } = behaviour.size ?? asked;
    return { bytes: await fakeImage(width, height, "jpeg", Number(seed ?? 0)), width, height };
  };

  const onCdn = (bytes: Buffer) => {
    const name = `${randomBytes(8).toString("hex")}.jpg`;
    cdnFiles.set(name, bytes);
    return `${cdnUrl}/files/${name}`;
  };

  const hub = await startStandInServer(
    "hub",
    requests,
    (request, response, record) => {
      if (record.path === "/api/whoami-v2") {
        const token = authorised(request);
        if (!token) return sendJson(response, 401, { error: "Invalid credentials in Authorization header" });
        const fineGrained = token.role === "fineGrained" ? { fineGrained: { canReadGatedRepos: true, global: token.permissions ?? [], scoped: [] } } : {};
        return sendJson(response, 200, {
          type: "user",
          id: "6540a1b2c3d4e5f607182930",
          name: token.name,
          fullname: token.name,
          email: `${token.name}@example.com`,
          emailVerified: true,
          canPay: false,
          isPro: false,
          periodEnd: null,
          avatarUrl: "/avatars/default.svg",
          orgs: [],
          auth: { type: "access_token", accessToken: { displayName: "ad-creative-generator", role: token.role ?? "read", createdAt: "2026-01-02T03:04:05.000Z", ...fineGrained } },
        });
      }
      if (request.headers.authorization && !authorised(request)) return sendJson(response, 401, { error: "Invalid credentials in Authorization header" });
      const match = /^\/api\/models\/([^/]+\/[^/]+?)(?:\/revision\/[^/]+)?$/.exec(record.path);
      if (!match) return sendJson(response, 404, { error: "Not Found" });
      const id = decodeURIComponent(match[1]!);
      const mapping = options.models[id];
      if (!mapping) return sendJson(response, 404, { error: "Repository not found" });
      const inferenceProviderMapping = Object.fromEntries(
        mapping.map((entry) => [entry.provider, { providerId: entry.providerId, status: entry.status ?? "live", task: entry.task ?? "text-to-image" }]),
      );
      return sendJson(response, 200, {
        _id: `64${Buffer.from(id).toString("hex").slice(0, 22)}`,
        id,
        private: false,
        pipeline_tag: "text-to-image",
        gated: false,
        downloads: 1234,
        likes: 56,
        lastModified: "2025-08-01T00:00:00.000Z",
        inferenceProviderMapping,
      });
    },
    options.ports?.hub,
  );

  const router = await startStandInServer(
    "router",
    requests,
    async (request, response, record) => {
      if (record.path === "/__control") {
        const command = (record.body ?? {}) as { reset?: boolean; script?: Record<string, RouteBehaviour[]>; chat?: TextBehaviour[] };
        if (command.reset) api.reset();
        api.scriptChat(...(command.chat ?? []));
        for (const [provider, list] of Object.entries(command.script ?? {})) api.script(provider as RouterProvider, ...list);
        return sendJson(response, 200, { ok: true });
      }
      const token = authorised(request);
      if (!token) return sendJson(response, 401, { error: "Invalid credentials in Authorization header" });
      if (token.role === "fineGrained" && !(token.permissions ?? []).includes("inference.serverless.write")) {
        return sendJson(response, 403, { error: `This authentication method does not have sufficient permissions to call Inference Providers on behalf of user ${token.name}` });
      }
      const body = (record.body && typeof record.body === "object" ? record.body : {}) as Record<string, unknown>;
      const [, provider, ...rest] = record.path.split("/");

      if (record.path === "/v1/chat/completions" && request.method === "POST") {
        const behaviour = chatScripts.shift() ?? {};
        await pause(behaviour.latencyMs ?? 0, response);
        if (behaviour.status) return sendJson(response, behaviour.status, behaviour.body ?? { error: { message: `HTTP ${behaviour.status}`, type: "error" } });
        const model = String(body.model ?? "");
        if (!textModels.includes(model.replace(/:[\w-]+$/, ""))) return sendJson(response, 400, { error: { message: `The requested model '${model}' does not exist or is not served by any provider you have enabled.`, type: "invalid_request_error", param: "model", code: "model_not_found" } });
        const messages = Array.isArray(body.messages) ? (body.messages as { role: string; content: string }[]) : [];
        const asked = readPrompt(messages.filter((message) => message.role === "user").map((message) => String(message.content)));
        const corrected = messages.some((message) => message.role === "assistant");
        const content = behaviour.reply ?? (asked ? `Here is the copy:\n\n\`\`\`json\n${writeReply(asked, behaviour, corrected)}\n\`\`\`` : "I can help with that. What would you like me to write?");
        return sendJson(response, 200, {
          id: `chatcmpl-${randomBytes(8).toString("hex")}`,
          object: "chat.completion",
          created: Math.floor(Date.now() / 1000),
          model,
          choices: [{ index: 0, message: { role: "assistant", content }, logprobs: null, finish_reason: "stop" }],
          usage: { prompt_tokens: 180, completion_tokens: 90, total_tokens: 270 },
        });
      }

      if (provider === "hf-inference" && request.method === "POST" && rest[0] === "models") {
        const behaviour = next("hf-inference");
        if (answerFailure(behaviour, response)) return;
        if (behaviour.kind !== "ok") return;
        await pause(behaviour.latencyMs ?? 0, response);
        const parameters = (body.parameters ?? {}) as Record<string, unknown>;
        return sendBytes(response, "image/jpeg", (await picture({ width: Number(parameters.width ?? 1024), height: Number(parameters.height ?? 1024) }, parameters.seed, behaviour)).bytes);
      }

      if (provider === "fal-ai") {
        const path = rest.join("/");
        const poll = /^(.+)\/requests\/([0-9a-f]+)(\/status)?$/.exec(path);
        if (request.method === "GET" && poll) {
          const job = falJobs.get(poll[2]!);
          if (!job) return sendJson(response, 404, { detail: "Request not found" });
          if (poll[3]) {
            job.polls--;
            const status = job.polls > 0 ? (job.polls > 1 ? "IN_QUEUE" : "IN_PROGRESS") : "COMPLETED";
            return sendJson(response, 200, { status, request_id: poll[2], ...(status === "IN_QUEUE" ? { queue_position: job.polls - 1 } : {}) });
          }
          if (job.polls > 0) return sendJson(response, 400, { detail: "Request is still in progress" });
          return sendJson(response, 200, { images: [{ url: job.image, width: job.width, height: job.height, content_type: "image/jpeg" }], seed: 1, has_nsfw_concepts: [false], prompt: "" });
        }
        if (request.method === "POST" && record.query._subdomain === "queue") {
          const behaviour = next("fal-ai");
          if (answerFailure(behaviour, response)) return;
          if (behaviour.kind !== "ok") return;
          const shown = imageFromDataUri(body.image_url);
          if (body.image_url !== undefined && !shown) {
            return sendJson(response, 422, { detail: [{ loc: ["body", "image_url"], msg: "Could not load the image from image_url.", type: "image_load_error" }] });
          }
          // Kontext dev answers in the frame it was shown ("match_input", its default) or at 1024² ("auto").
          const editSize = behaviour.size ?? ((body.resolution_mode ?? "match_input") === "match_input" ? undefined : { width: 1024, height: 1024 });
          const edited = shown ? await instructionEdit(shown, Number(body.seed ?? 0), "jpeg", editSize) : undefined;
          const made = edited ?? (await picture(falImageSize(body.image_size), body.seed, behaviour));
          // What tests read back: the picture's shape instead of megabytes of base64.
          if (edited) record.body = { ...body, image_url: { ...edited.shown, dataUri: true }, image_urls: Array.isArray(body.image_urls) ? body.image_urls.length : undefined };
          const id = randomBytes(8).toString("hex");
          falJobs.set(id, { polls: behaviour.polls ?? 1, image: onCdn(made.bytes), width: made.width, height: made.height });
          // fal's response_url names the app (owner/name), not the endpoint's sub-path.
          const app = path.split("/").slice(0, 2).join("/");
          return sendJson(response, 200, {
            request_id: id,
            status: "IN_QUEUE",
            response_url: `https://queue.fal.run/${app}/requests/${id}`,
            status_url: `https://queue.fal.run/${app}/requests/${id}/status`,
            cancel_url: `https://queue.fal.run/${app}/requests/${id}/cancel`,
            queue_position: 0,
          });
        }
      }

      if ((provider === "nscale" || provider === "together") && request.method === "POST" && rest.join("/") === "v1/images/generations") {
        const behaviour = next(provider);
        if (answerFailure(behaviour, response)) return;
        if (behaviour.kind !== "ok") return;
        await pause(behaviour.latencyMs ?? 0, response);
        const asked = provider === "nscale" ? sizeString(body.size, "x") : { width: Number(body.width ?? 1024), height: Number(body.height ?? 1024) };
        const made = await picture(asked, body.seed, behaviour);
        return sendJson(response, 200, { created: Math.floor(Date.now() / 1000), data: [{ b64_json: made.bytes.toString("base64") }] });
      }

      if (provider === "replicate" && request.method === "POST" && rest[0] === "v1" && rest.at(-1) === "predictions") {
        const behaviour = next("replicate");
        if (answerFailure(behaviour, response)) return;
        if (behaviour.kind !== "ok") return;
        await pause(behaviour.latencyMs ?? 0, response);
        const input = (body.input ?? {}) as Record<string, unknown>;
        const made = await picture(aspectSize(input.aspect_ratio), input.seed, behaviour);
        const id = randomBytes(10).toString("hex");
        const prediction = { id, model: rest.slice(2, 4).join("/"), input, error: null, urls: { get: `https://api.replicate.com/v1/predictions/${id}`, cancel: `https://api.replicate.com/v1/predictions/${id}/cancel` } };
        if ((behaviour.polls ?? 0) > 0) {
          replicateJobs.set(id, { polls: behaviour.polls!, prediction: { ...prediction, status: "succeeded", output: [onCdn(made.bytes)] } });
          return sendJson(response, 201, { ...prediction, status: "processing", output: null });
        }
        return sendJson(response, 201, { ...prediction, status: "succeeded", output: [onCdn(made.bytes)] });
      }
      if (provider === "replicate" && request.method === "GET" && rest.slice(0, 2).join("/") === "v1/predictions" && rest[2]) {
        const job = replicateJobs.get(rest[2]);
        if (!job) return sendJson(response, 404, { detail: "Not found." });
        job.polls--;
        return sendJson(response, 200, job.polls > 0 ? { ...job.prediction, status: "processing", output: null } : job.prediction);
      }

      return sendJson(response, 404, { error: `Model not supported by provider ${provider ?? "?"}` });
    },
    options.ports?.router,
  );

  const cdn = await startStandInServer(
    "cdn",
    requests,
    (_request, response, record) => {
      const file = cdnFiles.get(record.path.replace(/^\/files\//, ""));
      if (!file) return sendJson(response, 404, { detail: "Not Found" });
      sendBytes(response, "image/jpeg", file);
    },
    options.ports?.cdn,
  );
  cdnUrl = cdn.url;

  const servers: StandInServer[] = [hub, router, cdn];
  const api: HuggingFaceStandIn = {
    hubUrl: hub.url,
    routerUrl: router.url,
    cdnUrl: cdn.url,
    requests,
    script(provider, ...behaviours) {
      scripts.set(provider, [...(scripts.get(provider) ?? []), ...behaviours]);
    },
    scriptChat(...behaviours) {
      chatScripts.push(...behaviours);
    },
    reset() {
      scripts.clear();
      chatScripts.length = 0;
      requests.length = 0;
    },
    of: (server, prefix = "") => requests.filter((request) => request.server === server && request.path.startsWith(prefix) && request.path !== "/__control"),
    open: () => servers.reduce((sum, server) => sum + server.open(), 0),
    close: async () => {
      await Promise.all(servers.map((server) => server.close()));
    },
  };
  return api;
}

/** fal's FLUX `image_size`: `{width, height}` or a preset; `landscape_4_3` when absent. */
const FAL_PRESETS: Record<string, { width: number; height: number }> = {
  square_hd: { width: 1024, height: 1024 },
  square: { width: 512, height: 512 },
  portrait_4_3: { width: 768, height: 1024 },
  portrait_16_9: { width: 576, height: 1024 },
  landscape_4_3: { width: 1024, height: 768 },
  landscape_16_9: { width: 1024, height: 576 },
};
function falImageSize(value: unknown): { width: number; height: number } {
  if (typeof value === "string") return FAL_PRESETS[value] ?? FAL_PRESETS.landscape_4_3!;
  const size = value as { width?: unknown; height?: unknown } | undefined;
  return typeof size?.width === "number" && typeof size.height === "number" ? { width: size.width, height: size.height } : FAL_PRESETS.landscape_4_3!;
}

/** An OpenAI-style `size` ("768x1344"); 1024² when absent. */
function sizeString(value: unknown, separator: string): { width: number; height: number } {
  const [width, height] = typeof value === "string" ? value.split(separator).map(Number) : [];
  return width && height ? { width, height } : { width: 1024, height: 1024 };
}

/** FLUX on Replicate: about a megapixel at `aspect_ratio` (1:1 when absent), in multiples of 16. */
function aspectSize(value: unknown): { width: number; height: number } {
  const [w, h] = typeof value === "string" && /^\d+:\d+$/.test(value) ? value.split(":").map(Number) as [number, number] : [1, 1];
  const width = Math.round(Math.sqrt((1024 * 1024 * w) / h) / 16) * 16;
  return { width, height: Math.round((width * h) / w / 16) * 16 };
}

/** `POST {routerUrl}/__control` from another process (Playwright). */
export async function controlHuggingFace(routerUrl: string, command: { reset?: boolean; script?: Partial<Record<RouterProvider, RouteBehaviour[]>>; chat?: TextBehaviour[] }): Promise<void> {
  const response = await fetch(`${routerUrl}/__control`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(command) });
  if (!response.ok) throw new Error(`stand-in control failed: ${response.status}`);
}
