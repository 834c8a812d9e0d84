/**
 * A stand-in for an AUTOMATIC1111-compatible server started with --api, as its API is defined in
 * AUTOMATIC1111/stable-diffusion-webui v1.10.1 (modules/api/api.py, modules/api/models.py; the
 * same routes serve Forge and SD.Next):
 *
 * - `GET /sdapi/v1/sd-models`: `[{title, model_name, hash, sha256, filename, config}]`.
 * - `POST /sdapi/v1/txt2img` `{prompt, negative_prompt, seed, width, height, steps, sampler_name,
 *   cfg_scale, send_images, save_images, override_settings?}`: blocks while sampling, then
 *   `{images: [base64 PNG], parameters, info: "<json>"}`. Interrupted, it returns at once with the
 *   picture as far as it got (as the real server does).
 * - `GET /sdapi/v1/progress?skip_current_image=false`: `{progress, eta_relative, state: {skipped,
 *   interrupted, job, job_count, job_timestamp, job_no, sampling_step, sampling_steps},
 *   current_image, textinfo}`; `current_image` is the live preview (base64 PNG), null when live
 *   previews are off or nothing runs. It is server-wide: one job at a time.
 * - `POST /sdapi/v1/interrupt`: stops the current job; `{}`.
 * - `--api-auth user:pass`: HTTP Basic on every route, 401 `{"detail": "Incorrect username or password"}`.
 * Live previews use the default "Approx NN" size: 1/8 of the picture.
 *
 * Control (tests and e2e): `POST /__control {stepMs?, livePreviews?, corruptPreviewSteps?, failNext?}`,
 * `GET /__requests`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { CORRUPT_PNG, formingImage } from "./forming-image";
import { pause, sendJson, startStandInServer, type RecordedRequest, type StandInServer } from "./stand-in-server";

export const A1111_CHECKPOINTS = [
  { title: "sd_xl_base_1.0.safetensors [31e35c80fc]", model_name: "sd_xl_base_1.0", hash: "31e35c80fc", sha256: "31e35c80fc4829d14f90153f4c74cd59c90b779f6afe05a74cd6120b893f7e5b", filename: "/models/Stable-diffusion/sd_xl_base_1.0.safetensors", config: null },
  { title: "juggernautXL_v9.safetensors [c9e3e68f89]", model_name: "juggernautXL_v9", hash: "c9e3e68f89", sha256: "c9e3e68f89b8e38689e1097d4be4573cf308de4e3fd044c64ca697bdb4aa8bca", filename: "/models/Stable-diffusion/juggernautXL_v9.safetensors", config: null },
];

export interface A1111Control {
  /** Time per sampling step. */
  stepMs?: number;
  livePreviews?: boolean;
  /** Steps whose live preview is broken bytes. */
  corruptPreviewSteps?: number[];
  /** The next txt2img answers this status with an A1111 error body. */
  failNext?: number;
}

export interface A1111StandIn extends StandInServer {
  requests: RecordedRequest[];
  /** Jobs that ended early because of an interrupt. */
  interruptedJobs(): number;
  /** Whether a job is sampling now. */
  busy(): boolean;
  control(settings: A1111Control): void;
  of(path: string): RecordedRequest[];
  reset(): void;
}

interface Job {
  step: number;
  steps: number;
  width: number;
  height: number;
  seed: number;
  startedAt: number;
  interrupted: boolean;
}

export async function startAutomatic1111StandIn(options: { auth?: string; stepMs?: number; port?: number } = {}): Promise<A1111StandIn> {
  const requests: RecordedRequest[] = [];
  const defaults: Required<Omit<A1111Control, "failNext">> = { stepMs: options.stepMs ?? 40, livePreviews: true, corruptPreviewSteps: [] };
  let settings = { ...defaults, failNext: undefined as number | undefined };
  let current: Job | undefined;
  let interruptedJobs = 0;

  const authorised = (request: IncomingMessage) => !options.auth || request.headers.authorization === `Basic ${Buffer.from(options.auth).toString("base64")}`;

  const handler = async (request: IncomingMessage, response: ServerResponse, record: RecordedRequest) => {
    const path = record.path;
    if (path === "/__control" && request.method === "POST") {
      const body = (record.body ?? {}) as A1111Control & { reset?: boolean };
      if (body.reset) settings = { ...defaults, failNext: undefined };
      settings = { ...settings, ...body };
      return sendJson(response, 200, { ok: true });
    }
    if (path === "/__requests") return sendJson(response, 200, { requests: requests.filter((item) => !item.path.startsWith("/__")), interruptedJobs, busy: current !== undefined });
    if (!authorised(request)) return sendJson(response, 401, { detail: "Incorrect username or password" }, { "www-authenticate": "Basic" });

    if (path === "/sdapi/v1/sd-models" && request.method === "GET") return sendJson(response, 200, A1111_CHECKPOINTS);
    if (path === "/sdapi/v1/interrupt" && request.method === "POST") {
      if (current) current.interrupted = true;
      return sendJson(response, 200, {});
    }
    if (path === "/sdapi/v1/progress" && request.method === "GET") {
      const job = current;
      if (!job) {
        return sendJson(response, 200, { progress: 0, eta_relative: 0, state: { skipped: false, interrupted: false, job: "", job_count: 0, job_timestamp: "0", job_no: 0, sampling_step: 0, sampling_steps: 0 }, current_image: null, textinfo: null });
      }
      const progress = job.step / job.steps;
      const elapsed = (Date.now() - job.startedAt) / 1000;
      const eta = progress > 0 ? (elapsed / progress) * (1 - progress) : job.steps * (settings.stepMs / 1000);
      let currentImage: string | null = null;
      if (settings.livePreviews && job.step > 0 && request.url?.includes("skip_current_image=false")) {
        currentImage = settings.corruptPreviewSteps.includes(job.step)
          ? CORRUPT_PNG.toString("base64")
          : (await formingImage(Math.max(8, Math.round(job.width / 8)), Math.max(8, Math.round(job.height / 8)), job.seed, progress)).toString("base64");
      }
      return sendJson(response, 200, {
        progress,
        eta_relative: eta,
        state: { skipped: false, interrupted: job.interrupted, job: "txt2img", job_count: 1, job_timestamp: String(job.startedAt), job_no: 0, sampling_step: job.step, sampling_steps: job.steps },
        current_image: currentImage,
        textinfo: null,
      });
    }
    if (path === "/sdapi/v1/txt2img" && request.method === "POST") {
      const body = (record.body ?? {}) as { seed?: number; width?: number; height?: number; steps?: number; prompt?: unknown };
      if (typeof body.prompt !== "string") return sendJson(response, 422, { detail: [{ loc: ["body", "prompt"], msg: "field required", type: "value_error.missing" }] });
      if (settings.failNext) {
        const status = settings.failNext;
        settings.failNext = undefined;
        return sendJson(response, status, { error: "RuntimeError", detail: "", body: "", errors: "CUDA out of memory. Tried to allocate 2.00 GiB" });
      }
      // The real server queues API calls behind one lock.
      while (current) await pause(20, response);
      if (response.destroyed) return;
      const job: Job = { step: 0, steps: Math.max(1, Number(body.steps ?? 20)), width: Number(body.width ?? 512), height: Number(body.height ?? 512), seed: Number(body.seed ?? 0), startedAt: Date.now(), interrupted: false };
      current = job;
      try {
        // A dropped HTTP request does not stop the GPU; only an interrupt does.
        while (job.step < job.steps && !job.interrupted) {
          await new Promise((resolve) => setTimeout(resolve, settings.stepMs));
          if (!job.interrupted) job.step++;
        }
        const picture = await formingImage(job.width, job.height, job.seed, job.step / job.steps);
        interruptedJobs += job.interrupted ? 1 : 0;
        sendJson(response, 200, { images: [picture.toString("base64")], parameters: body, info: JSON.stringify({ seed: job.seed, steps: job.steps, interrupted: job.interrupted }) });
      } finally {
        current = undefined;
      }
      return;
    }
    sendJson(response, 404, { detail: "Not Found" });
  };

  const server = await startStandInServer("a1111", requests, handler, options.port ?? 0);
  return {
    ...server,
    requests,
    interruptedJobs: () => interruptedJobs,
    busy: () => current !== undefined,
    control: (next) => {
      settings = { ...settings, ...next };
    },
    of: (path) => requests.filter((item) => item.path === path),
    reset: () => {
      requests.length = 0;
      settings = { ...defaults, failNext: undefined };
    },
  };
}
