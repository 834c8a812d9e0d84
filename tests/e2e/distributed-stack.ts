import { DISTRIBUTED_APP_PORT, FAKE_HF_PORT, GUARD_LOGS } from "./e2e-ports";
import { startCluster } from "../support/distributed-cluster";

/**
 * The distributed mode for the browser tests, run by Playwright as one of its web servers
 * (`tsx tests/e2e/distributed-stack.ts`): Postgres, Redis and an S3-compatible server on private
 * ports, one web instance on DISTRIBUTED_APP_PORT and one worker, both talking to the same
 * Hugging Face stand-in as the main app. Everything stops when Playwright stops it.
 */
const cluster = await startCluster({
  webs: 0,
  workers: 0,
  env: {
    HF_TOKEN: "hf_e2eTestToken",
    // A dedicated image endpoint, no chat router: copy variants come from the templates.
    COPY_WRITER: "offline",
    HF_ENDPOINT_URL: `http://127.0.0.1:${FAKE_HF_PORT}/models/stabilityai/stable-diffusion-xl-base-1.0`,
    POLLINATIONS_LEGACY_URL: `http://127.0.0.1:${FAKE_HF_PORT + 1}`,
    GENERATION_TIMEOUT_MS: "20000",
    IMAGE_WORKERS: "1",
  },
});
await cluster.startWorker({}, { guardLog: GUARD_LOGS.distributed });
await cluster.startWeb({}, { port: DISTRIBUTED_APP_PORT, guardLog: GUARD_LOGS.distributed });
console.log(`distributed stack ready: http://127.0.0.1:${DISTRIBUTED_APP_PORT}`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void cluster.stop().finally(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
