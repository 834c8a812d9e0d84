import path from "node:path";

/** Fixed loopback ports and files shared by playwright.config.ts, the global setup and the specs. */
export const APP_PORT = Number(process.env.E2E_APP_PORT ?? 39123);
export const FAKE_HF_PORT = Number(process.env.E2E_FAKE_HF_PORT ?? 39124);
/** A second app, on the hosted providers' stand-ins (Hub, router, Pollinations). */
export const HOSTED_APP_PORT = APP_PORT + 10;
export const HOSTED_PORTS = { hub: APP_PORT + 11, router: APP_PORT + 12, cdn: APP_PORT + 13, gen: APP_PORT + 14, legacy: APP_PORT + 15, a1111: APP_PORT + 16, openai: APP_PORT + 17, fal: APP_PORT + 18, comfyui: APP_PORT + 19 };
export const HOSTED_TOKEN = "hf_e2eHostedToken0123456789";
export const HOSTED_POLLEN_KEY = "sk_e2ePollinationsKey0123";
export const HOSTED_OPENAI_KEY = "sk-proj-e2eOpenAiKey0123456789";
export const HOSTED_FAL_KEY = "fal-e2e-key:0123456789abcdef";

const OUT = path.resolve(".test-output");
export const GUARD_LOGS = {
  main: path.join(OUT, "e2e-guard-main.log"),
  hosted: path.join(OUT, "e2e-guard-hosted.log"),
  distributed: path.join(OUT, "e2e-guard-distributed.log"),
  accounts: path.join(OUT, "e2e-guard-accounts.log"),
};
/** One web instance of the distributed mode (with its worker, Postgres, Redis and S3 behind it). */
export const DISTRIBUTED_APP_PORT = APP_PORT + 20;
/** An app with accounts on (AUTH=on), on the built-in renderer, starting with no account. */
export const ACCOUNTS_APP_PORT = APP_PORT + 30;
