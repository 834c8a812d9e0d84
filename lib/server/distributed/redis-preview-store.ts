import "server-only";
import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { apiPaths } from "@/lib/api-paths";
import { inlinePreview, isPreviewId, PREVIEW_TTL_MS, type KeptPreview, type Previews } from "../previews/preview-store";

const keyOf = (id: string) => `acg:preview:${id}`;
/** Which job a preview belongs to, kept beside it for as long. */
const jobKeyOf = (id: string) => `acg:preview:${id}:job`;

/**
 * Previews too large to inline, kept in Redis for a few minutes: a worker makes them, any web
 * instance serves them. The SET goes on the same connection as the event that names it, before
 * it, so a viewer never asks for a preview Redis does not have yet.
 */
export class RedisPreviewStore implements Previews {
  constructor(private readonly redis: Redis) {}

  publish(webp: Buffer, jobId: string): string {
    const inline = inlinePreview(webp);
    if (inline) return inline;
    const id = randomBytes(16).toString("hex");
    void this.redis
      .multi()
      .set(keyOf(id), webp, "PX", PREVIEW_TTL_MS)
      .set(jobKeyOf(id), jobId, "PX", PREVIEW_TTL_MS)
      .exec()
      .catch((error: unknown) => console.error("[previews] could not keep a preview:", error instanceof Error ? error.message : error));
    return apiPaths.preview(id);
  }

  async get(id: string): Promise<KeptPreview | null> {
    if (!isPreviewId(id)) return null;
    const [bytes, jobId] = await Promise.all([this.redis.getBuffer(keyOf(id)), this.redis.get(jobKeyOf(id))]);
    return bytes && jobId ? { bytes, jobId } : null;
  }
}
