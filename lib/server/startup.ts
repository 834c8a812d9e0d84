import "server-only";
import fs from "node:fs";
import path from "node:path";
import { appContext } from "./app-context";
import { ConfigError, env } from "./env";
import { describeStartupError } from "./startup-errors";
import { sweepUnownedFiles } from "./jobs/sweep-files";
import { pollinationsWarning } from "./providers/pollinations/pollinations-provider";
import { AppError } from "./use-cases/app-error";
import { rerunJob } from "./use-cases/rerun-job";

/**
 * Runs once when the server starts. A bad configuration or an unusable DATA_DIR stops the server
 * at once with a readable message, instead of failing on the first click.
 */
export async function prepareServerAtStartup(): Promise<void> {
  try {
    const config = env();
    if (config.deployment.mode === "distributed") {
      // Runs belong to the workers (`npm run worker`): a web instance starting up has none to resume.
      await appContext().migrate();
      const { s3 } = config.deployment;
      console.log(`[startup] distributed mode: web instance; jobs in Postgres, images in bucket ${s3.bucket}${s3.endpoint ? ` at ${s3.endpoint}` : ""}, queue and live events in Redis`);
    } else {
      checkWritable(config.DATA_DIR);
      const { repo } = appContext();
      const interrupted = await repo.markInterrupted(Date.now());
      console.log(`[startup] default provider: ${config.IMAGE_PROVIDER}; data folder: ${config.DATA_DIR}`);
      if (config.POLLINATIONS_TOKEN?.startsWith("pk_")) console.warn(`[startup] ${pollinationsWarning(config.POLLINATIONS_TOKEN)}`);
      if (interrupted.length > 0) {
        if (config.AUTO_RESUME) void resumeInterrupted(interrupted);
        else console.log(`[startup] ${interrupted.length} job(s) left running by a restart or crash are now interrupted; open them to Resume (AUTO_RESUME=false).`);
      }
    }
    installShutdown(config.SHUTDOWN_GRACE_MS);
    scheduleSweeps();
    // A dedicated endpoint does not go through the Hub; its token is checked on demand only.
    if (config.HF_TOKEN && !config.HF_ENDPOINT_URL) void reportHuggingFaceAccount();
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : `Could not start: ${describeStartupError(error)}`;
    console.error(`\n${message}\n`);
    process.exit(1);
  }
}

/** Jobs the previous process left running go on by themselves; their pages reconnect and follow. */
async function resumeInterrupted(jobIds: string[]): Promise<void> {
  const context = appContext();
  for (const jobId of jobIds) {
    try {
      // On behalf of the job's own workspace: the same use case as the page's Resume button.
      const workspaceId = await context.repo.workspaceOfJob(jobId);
      if (workspaceId === undefined) continue;
      const resumed = await rerunJob(context, { workspaceId, userId: null, role: "owner" }, jobId, { action: "resume" }, { keepWithoutViewer: true });
      console.log(`[startup] resumed job ${jobId} (${resumed.images} image(s) left)`);
    } catch (error) {
      if (error instanceof AppError) console.log(`[startup] job ${jobId} stays interrupted: ${error.message}`);
      else console.error(`[startup] could not resume job ${jobId}:`, error instanceof Error ? error.message : error);
    }
  }
}

/**
 * SIGTERM/SIGINT (a deploy, a restart, Ctrl-C): new runs get 503, images in flight finish for up
 * to SHUTDOWN_GRACE_MS, the rest is left to the next start, then the process exits. `npm start`
 * turns Next's own handler off (NEXT_MANUAL_SIG_HANDLE) so it does not exit first.
 */
function installShutdown(graceMs: number): void {
  let started = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (started) return;
    started = true;
    console.log(`[shutdown] ${signal}: finishing the images in flight (at most ${Math.round(graceMs / 1000)} s); new runs are refused`);
    void appContext()
      .jobs.shutdown(graceMs)
      .then(({ running, unfinished }) => {
        console.log(`[shutdown] ${running} running job(s); ${unfinished} left unfinished, to resume at the next start`);
      })
      .catch((error: unknown) => console.error("[shutdown] failed:", error instanceof Error ? error.message : error))
      .finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}

const SWEEP_EVERY_MS = 6 * 60 * 60_000;

/** Files nothing owns (a crash mid-save, uploads unused for a week) go at start and every 6 hours. */
function scheduleSweeps(): void {
  const sweep = () => {
    const { repo, store } = appContext();
    sweepUnownedFiles({ repo, store, now: Date.now })
      .then((removed) => {
        if (removed.length > 0) console.log(`[sweep] removed ${removed.length} file(s) nothing referred to`);
      })
      .catch((error: unknown) => console.error("[sweep] failed:", error instanceof Error ? error.message : error));
  };
  sweep();
  setInterval(sweep, SWEEP_EVERY_MS).unref();
}

function checkWritable(dataDir: string): void {
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    const probe = path.join(/*turbopackIgnore: true*/ dataDir, `.write-test-${process.pid}`);
    fs.writeFileSync(probe, "ok");
    fs.rmSync(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new ConfigError(`DATA_DIR (${dataDir}) is not writable (${code}). Point DATA_DIR at a folder this user can write, with free space.`);
  }
}

/** Tells the operator at once whether HF_TOKEN works (the page shows the same); never logs the token. */
async function reportHuggingFaceAccount(): Promise<void> {
  const status = await appContext().providers.get("huggingface").checkAccount?.();
  if (status?.account) console.log(`[startup] Hugging Face: ${status.account.message}`);
}
