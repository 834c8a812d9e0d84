import "server-only";
import { randomBytes, randomInt } from "node:crypto";
import { formatSize } from "@/lib/ad-formats";
import { generateRequestSchema, MAX_SEED } from "@/lib/campaign";
import { env } from "../env";
import { issuesFromZod, jsonError } from "../http/json-errors";
import { readJsonBody } from "../http/read-json-body";
import { createSseResponse } from "../http/sse-response";
import { getProvider } from "../providers/registry";
import { ImageStore } from "../storage/image-store";
import { buildPrompts, imageSeed } from "./prompts";
import { runGeneration, type GenerationPlan } from "./runner";

export const MAX_BODY_BYTES = 32 * 1024;

let imageStore: ImageStore | undefined;
export function getImageStore(): ImageStore {
  imageStore ??= new ImageStore(env().DATA_DIR);
  return imageStore;
}

type PlanResult = { ok: true; plan: GenerationPlan } | { ok: false; response: Response };

/** Validates the request at the edge and turns it into a plan; every refusal is a 4xx that says what to fix. */
export async function planFromRequest(request: Request): Promise<PlanResult> {
  const body = await readJsonBody(request, MAX_BODY_BYTES);
  if (!body.ok) return body;
  if (typeof body.value !== "object" || body.value === null || Array.isArray(body.value)) {
    return { ok: false, response: jsonError(400, "The request body must be a JSON object with the campaign fields.") };
  }
  const parsed = generateRequestSchema.safeParse(body.value);
  if (!parsed.success) {
    return { ok: false, response: jsonError(400, "The campaign is not valid: fix the fields listed in issues.", issuesFromZod(parsed.error)) };
  }
  const input = parsed.data;
  const provider = getProvider(input.provider ?? env().IMAGE_PROVIDER);
  const status = provider.status();
  if (!status.available) {
    return { ok: false, response: jsonError(400, `${status.label} is not available: ${status.reason ?? "it is not configured"}.`) };
  }

  const seed = input.seed ?? randomInt(0, MAX_SEED);
  const { width, height } = formatSize(input.format);
  const { prompts, negativePrompt } = buildPrompts(input, { count: input.count, seed, format: input.format });
  const indices = input.indices ?? prompts.map((_, i) => i);
  return {
    ok: true,
    plan: {
      jobId: randomBytes(12).toString("base64url"),
      brief: {
        productName: input.productName,
        productDescription: input.productDescription,
        targetAudience: input.targetAudience,
        style: input.style,
        tone: input.tone,
      },
      provider,
      width,
      height,
      seed,
      prompts,
      negativePrompt,
      indices,
      seeds: prompts.map((_, i) => imageSeed(seed, i)),
    },
  };
}

export function streamGeneration(plan: GenerationPlan, requestSignal: AbortSignal): Response {
  const config = env();
  const store = getImageStore();
  return createSseResponse({
    requestSignal,
    heartbeatMs: config.SSE_HEARTBEAT_MS,
    run: async (send, signal) => {
      await runGeneration(plan, {
        concurrency: config.GENERATION_CONCURRENCY,
        attemptTimeoutMs: config.GENERATION_TIMEOUT_MS,
        signal,
        emit: send,
        store: (bytes, image) => store.save(bytes, image.extension),
      });
    },
  });
}
