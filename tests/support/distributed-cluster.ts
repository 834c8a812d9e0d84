/**
 * The distributed mode on one machine, for the tests and the benchmark: a real Postgres, Redis
 * and S3-compatible server (tests/support/services), web instances (`npm start`) and workers
 * (`npm run worker`), every one of them on 127.0.0.1 behind the loopback guard.
 */
import path from "node:path";
import { cleanEnv, loopbackGuardEnv, makeTempDir, readOutboundAttempts, REPO_ROOT, startApp, type AppServer } from "./app-server";
import { startPostgres, type PostgresServer } from "./services/postgres-server";
import { startRedis, type RedisServer } from "./services/redis-server";
import { startS3, type S3Server } from "./services/s3-server";
import { spawnService, type ServiceProcess } from "./services/service-process";

export interface WorkerProcess extends ServiceProcess {
  outboundAttempts(): string[];
}

export interface Cluster {
  postgres: PostgresServer;
  redis: RedisServer;
  s3: S3Server;
  webs: AppServer[];
  workers: WorkerProcess[];
  /** The settings every process of the cluster shares. */
  env: Record<string, string>;
  startWeb(extra?: Record<string, string>, options?: { port?: number; guardLog?: string }): Promise<AppServer>;
  startWorker(extra?: Record<string, string>, options?: { guardLog?: string }): Promise<WorkerProcess>;
  /** Connections any process of the cluster tried beyond loopback. */
  outboundAttempts(): string[];
  stop(): Promise<void>;
}

export async function startCluster(options: { webs?: number; workers?: number; env?: Record<string, string> } = {}): Promise<Cluster> {
  const [postgres, redis, s3] = await Promise.all([startPostgres(), startRedis(), startS3()]);
  const env: Record<string, string> = {
    REDIS_URL: redis.url,
    DATABASE_URL: postgres.url,
    ...s3.env,
    DATA_DIR: makeTempDir("acg-cluster-data-"),
    // A worker killed mid-image gives its task back within a few seconds, not 30.
    WORKER_STALLED_MS: "2000",
    ...options.env,
  };
  const webs: AppServer[] = [];
  const workers: WorkerProcess[] = [];

  const startWeb = async (extra: Record<string, string> = {}, webOptions: { port?: number; guardLog?: string } = {}) => {
    const web = await startApp({ ...env, ...extra }, webOptions);
    webs.push(web);
    return web;
  };

  const startWorker = async (extra: Record<string, string> = {}, workerOptions: { guardLog?: string } = {}) => {
    const guardLog = workerOptions.guardLog ?? path.join(makeTempDir("acg-guard-"), "outbound.log");
    const guard = loopbackGuardEnv(guardLog);
    // WORKER_NODE_ARGS: extra flags for the workers' node (--cpu-prof, say), for profiling.
    const nodeArgs = process.env.WORKER_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
    const service = spawnService(process.execPath, [...nodeArgs, path.join(REPO_ROOT, ".next", "queue-worker.mjs")], {
      cwd: REPO_ROOT,
      env: { ...cleanEnv({ ...env, ...extra }), ...guard } as unknown as NodeJS.ProcessEnv,
    });
    const worker: WorkerProcess = Object.assign(service, { outboundAttempts: () => readOutboundAttempts(guardLog) });
    const deadline = Date.now() + 30_000;
    while (!service.logs().includes("[worker] ready")) {
      if (service.process.exitCode !== null || Date.now() > deadline) throw new Error(`the worker did not start:\n${service.logs()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    workers.push(worker);
    return worker;
  };

  for (let i = 0; i < (options.webs ?? 2); i++) await startWeb();
  await Promise.all(Array.from({ length: options.workers ?? 2 }, () => startWorker()));

  return {
    postgres,
    redis,
    s3,
    webs,
    workers,
    env,
    startWeb,
    startWorker,
    outboundAttempts: () => [...webs.flatMap((web) => web.outboundAttempts()), ...workers.flatMap((worker) => worker.outboundAttempts())],
    async stop() {
      await Promise.all([...webs.map((web) => web.stop()), ...workers.map((worker) => worker.stop("SIGTERM", 10_000))]);
      await Promise.all([postgres.stop(), redis.stop(), s3.stop()]);
    },
  };
}
