import { startFakeHuggingFace } from "../support/fake-providers";

/** The local Hugging Face stand-in the e2e app talks to; tests steer it through /__control. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const port = Number(process.env.E2E_FAKE_HF_PORT ?? 39124);
  const fake = await startFakeHuggingFace({ port, latencyMs: 600, requireToken: "hf_e2eTestToken" });
  return () => fake.close();
}
