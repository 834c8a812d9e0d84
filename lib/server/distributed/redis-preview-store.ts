import "server-only";
import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { apiPaths } from "@/lib/api-paths";
import { inlinePreview, isPreviewId, PREVIEW_TTL_MS, type Previews } from "../previews/preview-store";

const keyOf = (id: string) => `acg:preview:${id}`;

/**
 * Previews too large to inline, kept in Redis for a few minutes: a worker makes them, any web
 * instance serves them. The SET goes on the same connection as the event that names it, before
 * it, so a viewer never asks for a preview Redis does not have yet.
 */
export class RedisPreviewStore implements Previews {
  constructor(private readonly redis: Redis) {}

  publish(webp: Buffer): string {
    const inline = inlinePreview(webp);
    if (inline) return inline;
    const id = randomBytes(16).toString("hex");
    void this.redis.set(keyOf(id), webp, "PX", PREVIEW_TTL_MS).catch((error: unknown) => console.error("[previews] could not keep a preview:", error instanceof Error ? error.message : error));
    return apiPaths.preview(id);
  }

  async get(id: string): Promise<Buffer | null> {
    if (!isPreviewId(id)) return null;
    return this.redis.getBuffer(keyOf(id));
  }
}
