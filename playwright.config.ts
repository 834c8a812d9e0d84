import { rmSync } from "node:fs";
import { defineConfig } from "@playwright/test";
import { loopbackGuardEnv } from "./tests/support/app-server";
import { ACCOUNTS_APP_PORT, APP_PORT, DISTRIBUTED_APP_PORT, FAKE_HF_PORT, GUARD_LOGS, HOSTED_APP_PORT, HOSTED_FAL_KEY, HOSTED_OPENAI_KEY, HOSTED_POLLEN_KEY, HOSTED_PORTS, HOSTED_TOKEN } from "./tests/e2e/e2e-ports";

// End-to-end tests run against the production build (`next build` must have run), like users do.
// Both apps run with the loopback guard; the specs assert it saw no attempt to leave 127.0.0.1.
if (!process.env.TEST_WORKER_INDEX) for (const log of Object.values(GUARD_LOGS)) rmSync(log, { force: true });
// The accounts app starts with no account every time: its spec creates the owner.
if (!process.env.TEST_WORKER_INDEX) rmSync(".test-output/e2e-accounts-data", { recursive: true, force: true });

const nextStart = (port: number) => `node scripts/start.mjs -p ${port} -H 127.0.0.1`;

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 20_000 },
  reporter: [["list"]],
  outputDir: ".test-output/playwright",
  use: {
    baseURL: `http://127.0.0.1:${APP_PORT}`,
    browserName: "chromium",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"],
    },
    trace: "retain-on-failure",
  },
  webServer: [
    {
      // The providers' stand-ins first: the apps ask the Hub about their token as they start.
      command: "node node_modules/tsx/dist/cli.mjs tests/e2e/stand-ins.ts",
      url: `http://127.0.0.1:${HOSTED_PORTS.hub}/api/whoami-v2`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "pipe",
    },
    {
      command: nextStart(APP_PORT),
      url: `http://127.0.0.1:${APP_PORT}/`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "pipe",
      env: {
        ...loopbackGuardEnv(GUARD_LOGS.main),
        HF_TOKEN: "hf_e2eTestToken",
        // Its Hugging Face is a dedicated image endpoint (no chat router here): copy comes from the templates.
        COPY_WRITER: "offline",
        HF_ENDPOINT_URL: `http://127.0.0.1:${FAKE_HF_PORT}/models/stabilityai/stable-diffusion-xl-base-1.0`,
        POLLINATIONS_LEGACY_URL: `http://127.0.0.1:${FAKE_HF_PORT + 1}`,
        DATA_DIR: ".test-output/e2e-data",
        GENERATION_CONCURRENCY: "4",
        GENERATION_TIMEOUT_MS: "20000",
      },
    },
    {
      command: nextStart(HOSTED_APP_PORT),
      url: `http://127.0.0.1:${HOSTED_APP_PORT}/`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "pipe",
      env: {
        ...loopbackGuardEnv(GUARD_LOGS.hosted),
        HF_TOKEN: HOSTED_TOKEN,
        HF_HUB_URL: `http://127.0.0.1:${HOSTED_PORTS.hub}`,
        HF_ROUTER_URL: `http://127.0.0.1:${HOSTED_PORTS.router}`,
        POLLINATIONS_TOKEN: HOSTED_POLLEN_KEY,
        POLLINATIONS_BASE_URL: `http://127.0.0.1:${HOSTED_PORTS.gen}`,
        POLLINATIONS_LEGACY_URL: `http://127.0.0.1:${HOSTED_PORTS.legacy}`,
        LOCAL_SD_URL: `http://127.0.0.1:${HOSTED_PORTS.a1111}`,
        COMFYUI_URL: `http://127.0.0.1:${HOSTED_PORTS.comfyui}`,
        LOCAL_SD_STEPS: "16",
        OPENAI_API_KEY: HOSTED_OPENAI_KEY,
        OPENAI_BASE_URL: `http://127.0.0.1:${HOSTED_PORTS.openai}/v1`,
        FAL_KEY: HOSTED_FAL_KEY,
        FAL_QUEUE_URL: `http://127.0.0.1:${HOSTED_PORTS.fal}`,
        DATA_DIR: ".test-output/e2e-hosted-data",
        GENERATION_TIMEOUT_MS: "20000",
      },
    },
    {
      command: nextStart(ACCOUNTS_APP_PORT),
      url: `http://127.0.0.1:${ACCOUNTS_APP_PORT}/sign-in`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "pipe",
      env: {
        ...loopbackGuardEnv(GUARD_LOGS.accounts),
        AUTH: "on",
        AUTH_SECRET: "e2e-accounts-secret-0123456789abcdef",
        // The form lists Pollinations' free endpoint: its stand-in, as for the main app.
        POLLINATIONS_LEGACY_URL: `http://127.0.0.1:${FAKE_HF_PORT + 1}`,
        DATA_DIR: ".test-output/e2e-accounts-data",
      },
    },
    {
      // The distributed mode: its own Postgres, Redis and S3, one web instance and one worker.
      command: "node node_modules/tsx/dist/cli.mjs tests/e2e/distributed-stack.ts",
      url: `http://127.0.0.1:${DISTRIBUTED_APP_PORT}/`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: "pipe",
    },
  ],
});
