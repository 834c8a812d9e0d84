/**
 * A server the tests start themselves (Postgres, Redis): spawned with its output kept, waited
 * for until it answers, stopped (or killed) at the end. Only node built-ins are imported.
 */
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";

export interface ServiceProcess {
  readonly process: ChildProcess;
  logs(): string;
  /** Sends `signal` and resolves once the process exited (SIGKILL after `graceMs`). */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

export function spawnService(command: string, args: string[], options: SpawnOptions = {}): ServiceProcess {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
  running.add(child);
  let log = "";
  const append = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-256 * 1024);
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.once("error", (error) => {
      append(Buffer.from(`\nspawn error: ${error.message}\n`));
      resolve();
    });
  });
  void exited.then(() => running.delete(child));
  return {
    process: child,
    logs: () => log,
    async stop(signal = "SIGTERM", graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), graceMs)));
      if ((await Promise.race([exited, late])) === "late") {
        child.kill("SIGKILL");
        await exited;
      }
      clearTimeout(timer);
    },
  };
}

/** Retries `probe` until it resolves, or throws with the service's logs after `timeoutMs`. */
export async function waitUntil(what: string, probe: () => Promise<unknown>, service: ServiceProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (service.process.exitCode !== null || service.process.signalCode !== null) {
      throw new Error(`${what} exited before it was ready:\n${service.logs()}`);
    }
    try {
      await probe();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${what} was not ready within ${timeoutMs} ms (${error instanceof Error ? error.message : String(error)}):\n${service.logs()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
