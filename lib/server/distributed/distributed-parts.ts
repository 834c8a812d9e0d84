import "server-only";
import { Queue } from "bullmq";
import type { ProviderId } from "@/lib/campaign";
import type { AppEnv, Deployment } from "../env";
import { S3ImageStore } from "../storage/s3/s3-image-store";
import { createPostgres, migratePostgres } from "../storage/postgres/open-postgres";
import { SqlJobStore } from "../storage/sql/sql-job-store";
import { queueName } from "./image-tasks";
import { RedisJobLock } from "./job-lock";
import { RedisFanOut } from "./redis-fan-out";
import { connectRedis } from "./redis-connection";
import { RedisPreviewStore } from "./redis-preview-store";
import { ViewerPresence } from "./viewer-presence";

/** The shared services of distributed mode, connected the same way by web instances and workers. */
export function distributedParts(config: AppEnv, deployment: Extract<Deployment, { mode: "distributed" }>, role: "web" | "worker") {
  // A worker's tasks each record their events: a connection for each, and a few for the rest.
  const db = createPostgres(deployment.databaseUrl, { max: role === "worker" ? config.WORKER_CONCURRENCY + 4 : 10 });
  const repo = new SqlJobStore(db);
  const store = new S3ImageStore(deployment.s3);
  const redis = connectRedis(deployment.redisUrl, role);
  // Subscriber mode takes a connection for itself.
  const subscriber = connectRedis(deployment.redisUrl, `${role} events`);
  const fanOut = new RedisFanOut(subscriber, redis, repo);
  const presence = new ViewerPresence(redis, config.JOB_ORPHAN_GRACE_MS, () => fanOut.watchedJobs());
  const queues = new Map<ProviderId, Queue>();
  const queue = (provider: ProviderId) => {
    let found = queues.get(provider);
    if (!found) {
      found = new Queue(queueName(provider), { connection: redis });
      queues.set(provider, found);
    }
    return found;
  };
  return {
    db,
    repo,
    store,
    redis,
    subscriber,
    fanOut,
    presence,
    lock: new RedisJobLock(redis),
    queue,
    previews: new RedisPreviewStore(redis),
    /** Before serving or working: the schema up to date and the bucket there. */
    migrate: async () => {
      await migratePostgres(db);
      await store.ensureBucket();
    },
    async close(): Promise<void> {
      presence.stop();
      await Promise.all([...queues.values()].map((found) => found.close()));
      subscriber.disconnect();
      await redis.quit().catch(() => redis.disconnect());
      await db.destroy();
    },
  };
}
