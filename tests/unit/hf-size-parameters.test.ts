import { InferenceClient, type InferenceProvider } from "@huggingface/inference";
import { describe, expect, it } from "vitest";
import { nearestAspectRatio, sizeParameters } from "@/lib/server/providers/huggingface/size-parameters";
import { HF_TEXT_TO_IMAGE_PROVIDERS } from "@/lib/server/providers/huggingface/hf-routes";

/**
 * What each Inference Provider really receives for a size, through the installed client (#23.1):
 * the client's own payload code runs, with a fetch that answers the Hub's mapping and records the
 * provider's request instead of sending it anywhere.
 */

/** The size as each provider's API reads it from the body the client sends. */
const SIZE_AS_READ: Record<string, (body: Record<string, unknown>) => { width: number; height: number } | string | undefined> = {
  "hf-inference": (body) => {
    const parameters = body.parameters as { width?: number; height?: number } | undefined;
    return parameters?.width && parameters.height ? { width: parameters.width, height: parameters.height } : undefined;
  },
  "fal-ai": (body) => body.image_size as { width: number; height: number } | undefined,
  nscale: (body) => body.size as string | undefined,
  deepinfra: (body) => body.size as string | undefined,
  "zai-org": (body) => body.size as string | undefined,
  wavespeed: (body) => body.size as string | undefined,
  together: (body) => (body.width && body.height ? { width: body.width as number, height: body.height as number } : undefined),
  replicate: (body) => ((body.input as { aspect_ratio?: string } | undefined)?.aspect_ratio),
};

const EXPECTED: Record<string, { width: number; height: number } | string> = {
  "hf-inference": { width: 768, height: 1344 },
  "fal-ai": { width: 768, height: 1344 },
  nscale: "768x1344",
  deepinfra: "768x1344",
  "zai-org": "768x1344",
  wavespeed: "768*1344",
  together: { width: 768, height: 1344 },
  replicate: "9:16",
};

let asked = 0;
async function bodySentTo(provider: InferenceProvider, parameters: Record<string, unknown>): Promise<Record<string, unknown>> {
  let sent: Record<string, unknown> | undefined;
  // A model id of its own each time: the client caches a model's mapping for the process.
  const model = `black-forest-labs/flux-test-${++asked}`;
  const recording: typeof fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url.includes("/api/models/")) {
      const mapping = { [provider]: { providerId: `${provider}/flux-schnell`, status: "live", task: "text-to-image" } };
      return Response.json({ _id: "64aa", id: model, inferenceProviderMapping: mapping });
    }
    sent = JSON.parse(String(init?.body ?? "{}")) as Record<string, unknown>;
    throw new Error("recorded");
  };
  const client = new InferenceClient("hf_test0123456789");
  const failure = await client
    .textToImage({ inputs: "a bottle", parameters: { seed: 1, ...parameters }, model, provider }, { fetch: recording, retry_on_error: false })
    .catch((error: unknown) => error);
  if (!sent) throw new Error(`${provider}: nothing was sent (${failure instanceof Error ? failure.message : String(failure)})`);
  return sent;
}

describe("the size every Inference Provider receives", () => {
  it("covers every provider the installed client makes pictures with", () => {
    expect([...HF_TEXT_TO_IMAGE_PROVIDERS].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const provider of Object.keys(EXPECTED) as InferenceProvider[]) {
    it(`${provider} reads the story's 768×1344 where it looks for a size`, async () => {
      const body = await bodySentTo(provider, sizeParameters(provider, 768, 1344));
      expect(SIZE_AS_READ[provider]!(body)).toEqual(EXPECTED[provider]);
    });
  }

  it("a plain width and height would not have reached fal, nscale, DeepInfra, Z.ai, WaveSpeed or FLUX on Replicate", async () => {
    const missed: string[] = [];
    for (const provider of Object.keys(EXPECTED) as InferenceProvider[]) {
      const body = await bodySentTo(provider, { width: 768, height: 1344 });
      if (SIZE_AS_READ[provider]!(body) === undefined) missed.push(provider);
    }
    expect(missed.sort()).toEqual(["deepinfra", "fal-ai", "nscale", "replicate", "wavespeed", "zai-org"]);
  });

  it("picks FLUX's nearest aspect ratio on Replicate for every format's model size", () => {
    expect([nearestAspectRatio(1024, 1024), nearestAspectRatio(896, 1152), nearestAspectRatio(768, 1344), nearestAspectRatio(1216, 640), nearestAspectRatio(1344, 768)]).toEqual(["1:1", "4:5", "9:16", "16:9", "16:9"]);
  });
});
