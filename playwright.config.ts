import { defineConfig } from "@playwright/test";

// End-to-end tests run against the production build (`next build` must have run), like users do.
const APP_PORT = Number(process.env.E2E_APP_PORT ?? 39123);
export const FAKE_HF_PORT = Number(process.env.E2E_FAKE_HF_PORT ?? 39124);

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 20_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  globalSetup: "./tests/e2e/global-setup.ts",
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
  webServer: {
    command: `node node_modules/next/dist/bin/next start -p ${APP_PORT} -H 127.0.0.1`,
    url: `http://127.0.0.1:${APP_PORT}/`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe",
    env: {
      HF_TOKEN: "hf_e2eTestToken",
      HF_ENDPOINT_URL: `http://127.0.0.1:${FAKE_HF_PORT}/models/stabilityai/stable-diffusion-xl-base-1.0`,
      POLLINATIONS_BASE_URL: `http://127.0.0.1:${FAKE_HF_PORT + 1}`,
      DATA_DIR: ".test-output/e2e-data",
      GENERATION_CONCURRENCY: "4",
      GENERATION_TIMEOUT_MS: "20000",
    },
  },
});
