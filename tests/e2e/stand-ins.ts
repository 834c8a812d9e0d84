import { startFakeHuggingFace } from "../support/fake-providers";
import { startHuggingFaceStandIn } from "../support/fakes/hugging-face";
import { startPollinationsStandIn } from "../support/fakes/pollinations";
import { STAND_IN_MODELS } from "../support/fakes/hub-models";
import { FAKE_HF_PORT, HOSTED_POLLEN_KEY, HOSTED_PORTS, HOSTED_TOKEN } from "./e2e-ports";

/**
 * The local stand-ins the e2e apps talk to, run by Playwright as the first of its web servers
 * (`tsx tests/e2e/stand-ins.ts`) so they are up before the apps start; tests steer them through
 * their control routes.
 * - the main app: a dedicated-endpoint Hugging Face stand-in (HF_ENDPOINT_URL);
 * - the hosted app: the Hub, the Inference Providers router and Pollinations.
 */
async function startStandIns(): Promise<() => Promise<void>> {
  const fake = await startFakeHuggingFace({ port: FAKE_HF_PORT, latencyMs: 600, requireToken: "hf_e2eTestToken" });
  const hf = await startHuggingFaceStandIn({
    models: STAND_IN_MODELS,
    tokens: { [HOSTED_TOKEN]: { name: "ada-lovelace", role: "fineGrained", permissions: ["inference.serverless.write"] } },
    ports: { hub: HOSTED_PORTS.hub, router: HOSTED_PORTS.router, cdn: HOSTED_PORTS.cdn },
  });
  const pollinations = await startPollinationsStandIn({ keys: [HOSTED_POLLEN_KEY], latencyMs: 300, ports: { gen: HOSTED_PORTS.gen, legacy: HOSTED_PORTS.legacy } });
  return async () => {
    await Promise.all([fake.close(), hf.close(), pollinations.close()]);
  };
}

const stop = await startStandIns();
console.log("stand-ins ready");
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    void stop().finally(() => process.exit(0));
  });
}
