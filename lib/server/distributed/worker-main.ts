/**
 * `npm run worker`: one worker process of the distributed mode (bundled to .next/queue-worker.mjs
 * by `npm run build`). It reads .env.local and .env as `npm start` does, checks the
 * configuration, brings the database's schema up to date, and takes image tasks until SIGTERM.
 */
import { existsSync } from "node:fs";
import { PROVIDER_IDS } from "@/lib/campaign";
import { ConfigError, env } from "../env";
import { createImageWork } from "../image-work/create-image-work";
import { createProviderRegistry } from "../providers/registry";
import { describeStartupError } from "../startup-errors";
import { distributedParts } from "./distributed-parts";
import { QueueWorker } from "./queue-worker";

async function main(): Promise<void> {
  // Variables already set win, then .env.local, then .env (Next's order).
  for (const file of [".env.local", ".env"]) if (existsSync(file)) process.loadEnvFile(file);
  const config = env();
  if (config.deployment.mode !== "distributed") {
    throw new ConfigError(
      "npm run worker is for the distributed mode, and REDIS_URL, DATABASE_URL and the S3_* settings are not set.\n" +
        "  Embedded mode (the default) needs no worker: npm start makes the images itself. See the README's \"Distributed mode\".",
    );
  }
  const parts = distributedParts(config, config.deployment, "worker");
  await parts.migrate();
  const work = createImageWork(config.IMAGE_WORKERS);
  const worker = new QueueWorker({
    ...parts,
    work,
    providers: createProviderRegistry(config, { render: (options) => work.render(options) }),
    concurrency: config.WORKER_CONCURRENCY,
    attemptTimeoutMs: config.GENERATION_TIMEOUT_MS,
    stalledMs: config.WORKER_STALLED_MS,
  });
  await worker.ready();
  console.log(`[worker] ready: ${config.WORKER_CONCURRENCY} image(s) at a time from each of ${PROVIDER_IDS.length} provider queues`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`[worker] ${signal}: finishing the images in hand (at most ${Math.round(config.SHUTDOWN_GRACE_MS / 1000)} s)`);
    void worker
      .close(config.SHUTDOWN_GRACE_MS)
      .then(({ handedBack }) => console.log(`[worker] stopped; ${handedBack} image(s) handed back to the queue`))
      .then(() => Promise.all([parts.close(), work.close()]))
      .catch((error: unknown) => console.error("[worker] could not stop cleanly:", error instanceof Error ? error.message : error))
      .finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error: unknown) => {
  console.error(`\n${error instanceof ConfigError ? error.message : `The worker could not start: ${describeStartupError(error)}`}\n`);
  process.exit(1);
});
