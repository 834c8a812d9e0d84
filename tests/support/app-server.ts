/**
 * Starts the *built* Next app (`next start`) on a free 127.0.0.1 port for integration tests.
 * Assumes `npm run build` already ran. Only node built-ins are imported.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export interface AppServer {
  url: string;
  port: number;
  /** Everything the process wrote to stdout + stderr so far. */
  logs(): string;
  /** Connections and DNS look-ups the app tried beyond loopback (refused by tests/support/loopback-guard.cjs). */
  outboundAttempts(): string[];
  /** SIGTERM, then SIGKILL after 5 s; resolves once the process exited. */
  stop(): Promise<void>;
  /** Sends `signal` (default SIGKILL) and resolves once the process exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** The child process (pid, exitCode, signalCode …). */
  readonly process: ChildProcess;
}

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Variables that must never leak from the developer's / CI shell into the app under test. */
const SCRUBBED_EXACT = new Set(["IMAGE_PROVIDER", "NODE_OPTIONS", "NODE_ENV", "PORT", "HOSTNAME"]);
const SCRUBBED_PREFIXES = ["POLLINATIONS_", "HF_", "OPENAI_", "FAL_", "LOCAL_SD_"];

export const LOOPBACK_GUARD = path.join(REPO_ROOT, "tests", "support", "loopback-guard.cjs");

/** NODE_OPTIONS and the log file that make a Node process refuse (and record) any non-loopback connection. */
export function loopbackGuardEnv(logFile: string): Record<string, string> {
  return { NODE_OPTIONS: `--require "${LOOPBACK_GUARD}"`, LOOPBACK_GUARD_LOG: logFile };
}

export function readOutboundAttempts(logFile: string): string[] {
  try {
    return readFileSync(logFile, "utf8").split("\n").filter(Boolean);
  } catch {
    return [];
  }
}

const MAX_LOG_CHARS = 4 * 1024 * 1024;

const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort so a crashed test run does not leave `next start` processes behind.
  process.once("exit", () => {
    for (const child of live) {
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone
      }
    }
  });
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as AddressInfo;
      srv.close((err) => (err ? reject(err) : resolve(port)));
    });
  });
}

/** Creates a fresh directory under os.tmpdir() (synchronous; `await` on it works too). */
export function makeTempDir(prefix: string): string {
  const safe = prefix.replace(/[^A-Za-z0-9._-]/g, "-");
  return mkdtempSync(path.join(os.tmpdir(), safe.endsWith("-") ? safe : `${safe}-`));
}

/** rm -rf, ignoring errors. */
export function removeDir(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // ignore
  }
}

export function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (SCRUBBED_EXACT.has(k) || SCRUBBED_PREFIXES.some((p) => k.startsWith(p))) continue;
    out[k] = v;
  }
  out.NEXT_TELEMETRY_DISABLED = "1";
  return { ...out, ...extra };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

export async function startApp(
  env: Record<string, string>,
  /** `root`: another built checkout of the app (the bench's previous design); this one by default. */
  options: { timeoutMs?: number; port?: number; guardLog?: string; root?: string } = {},
): Promise<AppServer> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const root = options.root ?? REPO_ROOT;
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
    throw new Error(`startApp: ${path.join(root, ".next", "BUILD_ID")} is missing — run npm run build first`);
  }
  // What `npm start` runs: loopback by default, the app's own SIGTERM handling.
  const startScript = path.join(root, "scripts", "start.mjs");
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const guardLog = options.guardLog ?? path.join(makeTempDir("acg-guard-"), "outbound.log");
  const guard = loopbackGuardEnv(guardLog);

  let log = "";
  const append = (chunk: Buffer | string): void => {
    log += chunk.toString();
    if (log.length > MAX_LOG_CHARS) log = log.slice(log.length - MAX_LOG_CHARS);
  };

  const child = spawn(process.execPath, [startScript, "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    // Next augments ProcessEnv with a required NODE_ENV; leaving it unset lets `next start` pick "production".
    // The guard is preloaded beside whatever the caller preloads (the benchmark's loop monitor).
    env: { ...cleanEnv(env), ...guard, NODE_OPTIONS: [guard.NODE_OPTIONS, env.NODE_OPTIONS].filter(Boolean).join(" ") } as unknown as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  installExitHook();
  live.add(child);
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);

  let spawnError: Error | undefined;
  const exitPromise = new Promise<void>((resolve) => {
    child.once("exit", () => {
      live.delete(child);
      resolve();
    });
    child.once("error", (err) => {
      spawnError = err;
      append(`\n[app-server] spawn error: ${err.message}\n`);
      live.delete(child);
      resolve();
    });
  });

  const waitExit = async (ms: number): Promise<boolean> => {
    if (exited(child) || spawnError) return true;
    let timer: NodeJS.Timeout | undefined;
    const done = await Promise.race([
      exitPromise.then(() => true),
      new Promise<boolean>((r) => {
        timer = setTimeout(() => r(false), ms);
      }),
    ]);
    if (timer) clearTimeout(timer);
    return done;
  };

  const signal = (sig: NodeJS.Signals): void => {
    if (exited(child) || spawnError) return;
    try {
      child.kill(sig);
    } catch {
      // already gone
    }
  };

  const stop = async (): Promise<void> => {
    signal("SIGTERM");
    if (await waitExit(5_000)) return;
    signal("SIGKILL");
    await waitExit(10_000);
  };

  const kill = async (sig: NodeJS.Signals = "SIGKILL"): Promise<void> => {
    signal(sig);
    if (await waitExit(sig === "SIGKILL" ? 10_000 : 15_000)) return;
    signal("SIGKILL");
    await waitExit(10_000);
  };

  // Wait for any HTTP answer (status irrelevant).
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited(child) || spawnError) {
      throw new Error(
        `startApp: next start exited before becoming ready (code=${String(child.exitCode)}, signal=${String(child.signalCode)})\n--- logs ---\n${log}`,
      );
    }
    try {
      const res = await fetch(`${url}/favicon.ico`, { signal: AbortSignal.timeout(2_000), redirect: "manual" });
      await res.arrayBuffer().catch(() => undefined);
      break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`startApp: app did not answer on ${url} within ${timeoutMs} ms\n--- logs ---\n${log}`);
    }
    await sleep(100);
  }

  return {
    url,
    port,
    logs: () => log,
    outboundAttempts: () => readOutboundAttempts(guardLog),
    stop,
    kill,
    process: child,
  };
}
