import "server-only";
import { Redis } from "ioredis";

/**
 * A Redis connection that outlives a Redis restart: commands wait (they are not failed) while it
 * reconnects, as BullMQ requires, and the reconnection is said once in the log, not per attempt.
 */
export function connectRedis(url: string, role: string): Redis {
  const client = new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (attempt) => Math.min(100 * attempt, 2_000),
  });
  let down = false;
  client.on("error", (error: Error) => {
    if (down) return;
    down = true;
    console.error(`[redis] ${role}: ${error.message}; reconnecting`);
  });
  client.on("ready", () => {
    if (!down) return;
    down = false;
    console.log(`[redis] ${role}: connected again`);
  });
  return client;
}
