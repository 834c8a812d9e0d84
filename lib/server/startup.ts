import "server-only";
import fs from "node:fs";
import path from "node:path";
import { appContext } from "./app-context";
import { ConfigError, env } from "./env";
import { getProvider } from "./providers/registry";

/**
 * Runs once when the server starts. A bad configuration or an unusable DATA_DIR stops the server
 * at once with a readable message, instead of failing on the first click.
 */
export function prepareServerAtStartup(): void {
  try {
    const config = env();
    checkWritable(config.DATA_DIR);
    const { repo } = appContext();
    const interrupted = repo.markInterrupted(Date.now());
    console.log(`[startup] default provider: ${config.IMAGE_PROVIDER}; data folder: ${config.DATA_DIR}`);
    if (interrupted.length > 0) console.log(`[startup] ${interrupted.length} job(s) left running by a crash are now interrupted; open them to Resume.`);
    // A dedicated endpoint does not go through the Hub; its token is checked on demand only.
    if (config.HF_TOKEN && !config.HF_ENDPOINT_URL) void reportHuggingFaceAccount();
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : `Could not start: ${error instanceof Error ? error.message : String(error)}`;
    console.error(`\n${message}\n`);
    process.exit(1);
  }
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
  const status = await getProvider("huggingface").checkAccount?.();
  if (status?.account) console.log(`[startup] Hugging Face: ${status.account.message}`);
}
