/** A real Redis for the tests: Debian's redis-server on a private port and data folder on 127.0.0.1. */
import { Redis } from "ioredis";
import { freePort, makeTempDir, removeDir } from "../app-server";
import { spawnService, waitUntil, type ServiceProcess } from "./service-process";

export interface RedisServer {
  url: string;
  /** Shuts it down (what it holds is kept on disk), and starts it again after `downMs`. */
  restart(downMs: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  const dir = makeTempDir("acg-redis-");
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let server: ServiceProcess;
  const launch = async () => {
    // BullMQ needs every key kept: no eviction; the append-only file keeps the queue across a restart.
    server = spawnService("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "yes", "--maxmemory-policy", "noeviction"]);
    await waitUntil("redis-server", () => ping(url), server);
  };
  await launch();
  return {
    url,
    async restart(downMs) {
      await server.stop("SIGTERM");
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await launch();
    },
    async stop() {
      await server.stop("SIGTERM");
      removeDir(dir);
    },
  };
}

async function ping(url: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.ping();
  } finally {
    client.disconnect();
  }
}
