/**
 * A real Postgres for the tests: Debian's server binaries, a fresh data folder and a private port
 * on 127.0.0.1, run as the `postgres` user (Postgres refuses to run as root).
 */
import { execFileSync } from "node:child_process";
import { chownSync, existsSync, readdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { freePort, makeTempDir, removeDir } from "../app-server";
import { spawnService, waitUntil, type ServiceProcess } from "./service-process";

export interface PostgresServer {
  /** postgres://… of a fresh database for the app. */
  url: string;
  /** Stops the server (fast shutdown), leaves its data, and starts it again after `downMs`. */
  restart(downMs: number): Promise<void>;
  stop(): Promise<void>;
}

/** Where initdb and postgres are: on PATH, or in Debian's versioned folder. */
function postgresBin(name: "initdb" | "postgres"): string {
  try {
    return execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim() || fromDebianFolder(name);
  } catch {
    return fromDebianFolder(name);
  }
}

function fromDebianFolder(name: string): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const candidate = path.join(root, version, "bin", name);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`${name} not found: install Debian's postgresql package (.ci/run does)`);
}

function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  return { uid, gid };
}

export async function startPostgres(): Promise<PostgresServer> {
  const dir = makeTempDir("acg-postgres-");
  const user = postgresUser();
  if (user) chownSync(dir, user.uid, user.gid);
  const dataDir = path.join(dir, "data");
  execFileSync(postgresBin("initdb"), ["-D", dataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"], {
    stdio: "pipe",
    ...(user ?? {}),
  });
  const port = await freePort();
  const admin = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let server: ServiceProcess;

  const launch = async () => {
    server = spawnService(
      postgresBin("postgres"),
      ["-D", dataDir, "-p", String(port), "-k", dir, "-h", "127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "max_connections=200"],
      user ?? {},
    );
    await waitUntil("postgres", () => query(admin, "SELECT 1"), server);
  };
  await launch();
  await query(admin, "CREATE DATABASE ads");

  return {
    url: `postgres://postgres@127.0.0.1:${port}/ads`,
    async restart(downMs) {
      await server.stop("SIGINT");
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await launch();
    },
    async stop() {
      await server.stop("SIGINT");
      removeDir(dir);
    },
  };
}

async function query(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
