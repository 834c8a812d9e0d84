/**
 * A scripted stand-in for a Hugging Face Inference Endpoint (or any URL given to
 * `@huggingface/inference` 4.13 `textToImage({ endpointUrl })`), following that client's request
 * builder in node_modules/@huggingface/inference (`makeRequestOptions`, the `hf-inference` task
 * helper) and the Inference Endpoints docs: `POST <any path>` with JSON
 * `{ inputs, parameters: { width, height, seed, negative_prompt, ... } }`, answered with `image/png`
 * bytes; a loading model answers 503 `{ error, estimated_time }`. Faults are scripted (fault-script.ts).
 */
import { readBody, startScriptedFake, toNumber, type ScriptedProtocol } from "./scripted-fake-server";
import { isRecord } from "./fault-script";
import type { FakeProvider, FakeProviderOptions } from "./scripted-fake-server";

export const HF_LOADING_MODEL = "stabilityai/stable-diffusion-xl-base-1.0";

const hfEndpoint: ScriptedProtocol = {
  name: "hf",
  imageFormat: "png",
  imageType: "image/png",
  loadingModel: HF_LOADING_MODEL,
  refuse: (method) => (method === "POST" ? null : { status: 405, error: "Method Not Allowed", headers: { allow: "POST" } }),
  async read(request, _url, record) {
    const raw = await readBody(request);
    if (raw === null) return { status: 413, error: "Payload too large or unreadable" };
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      record.body = raw;
      return { status: 400, error: "Request body is not valid JSON" };
    }
    record.body = body;
    const params = isRecord(body) && isRecord(body.parameters) ? body.parameters : {};
    if (isRecord(body) && typeof body.inputs === "string") record.prompt = body.inputs;
    const width = toNumber(params.width);
    const height = toNumber(params.height);
    const seed = toNumber(params.seed);
    if (width !== undefined) record.width = width;
    if (height !== undefined) record.height = height;
    if (seed !== undefined) record.seed = seed;
    if (!isRecord(body) || typeof body.inputs !== "string") return { status: 400, error: "Input should be a valid string: inputs" };
    return null;
  },
};

export function startFakeHuggingFace(options?: FakeProviderOptions): Promise<FakeProvider> {
  return startScriptedFake(hfEndpoint, options);
}
