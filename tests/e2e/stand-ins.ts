import { startFakeHuggingFace } from "../support/fakes/hf-endpoint";
import { startAutomatic1111StandIn } from "../support/fakes/automatic1111";
import { startFalStandIn } from "../support/fakes/fal";
import { startComfyUiStandIn } from "../support/fakes/comfyui";
import { startHuggingFaceStandIn } from "../support/fakes/hugging-face";
import { startOpenAiStandIn } from "../support/fakes/openai";
import { startPollinationsStandIn } from "../support/fakes/pollinations";
import { STAND_IN_MODELS } from "../support/fakes/hub-models";
import { FAKE_HF_PORT, HOSTED_FAL_KEY, HOSTED_OPENAI_KEY, HOSTED_POLLEN_KEY, HOSTED_PORTS, HOSTED_TOKEN } from "./e2e-ports";

/**
 * The local stand-ins the e2e apps talk to, run by Playwright as the first of its web servers
 * (`tsx tests/e2e/stand-ins.ts`) so they are up before the apps start; tests steer them through
 * their control routes.
 * - the main app: a dedicated-endpoint Hugging Face stand-in (HF_ENDPOINT_URL);
 * - the hosted app: the Hub, the Inference Providers router, Pollinations, OpenAI, fal and an
 *   AUTOMATIC1111 server, and ComfyUI.
 */
async function startStandIns(): Promise<() => Promise<void>> {
  const fake = await startFakeHuggingFace({ port: FAKE_HF_PORT, latencyMs: 600, requireToken: "hf_e2eTestToken" });
  const hf = await startHuggingFaceStandIn({
    models: STAND_IN_MODELS,
    tokens: { [HOSTED_TOKEN]: { name: "ada-lovelace", role: "fineGrained", permissions: ["inference.serverless.write"] } },
    ports: { hub: HOSTED_PORTS.hub, router: HOSTED_PORTS.router, cdn: HOSTED_PORTS.cdn },
  });
  const pollinations = await startPollinationsStandIn({ keys: [HOSTED_POLLEN_KEY], latencyMs: 300, ports: { gen: HOSTED_PORTS.gen, legacy: HOSTED_PORTS.legacy } });
  const a1111 = await startAutomatic1111StandIn({ stepMs: 150, port: HOSTED_PORTS.a1111 });
  const openai = await startOpenAiStandIn({ keys: [HOSTED_OPENAI_KEY], latencyMs: 2400, port: HOSTED_PORTS.openai });
  const fal = await startFalStandIn({ keys: [HOSTED_FAL_KEY], port: HOSTED_PORTS.fal });
  const comfyui = await startComfyUiStandIn({ port: HOSTED_PORTS.comfyui });
  return async () => {
    await Promise.all([fake.close(), hf.close(), pollinations.close(), a1111.close(), openai.close(), fal.close(), comfyui.close()]);
  };
}

const stop = await startStandIns();
console.log("stand-ins ready");
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    void stop().finally(() => process.exit(0));
  });
}
