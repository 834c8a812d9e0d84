import "server-only";
import { apiPaths } from "@/lib/api-paths";
import { randomBytes } from "node:crypto";

/** Previews this small travel inside the event as a data: URL: no second request before pixels. */
export const INLINE_PREVIEW_MAX_BYTES = 16 * 1024;
const TTL_MS = 5 * 60_000;
const MAX_TOTAL_BYTES = 64 * 1024 * 1024;
const ID_PATTERN = /^[0-9a-f]{32}$/;

interface Entry {
  bytes: Buffer;
  expiresAt: number;
}

/**
 * Larger previews, kept in memory for a few minutes: they are transient (never in the job's log),
 * so losing them on restart loses nothing. Bounded by age and total size, oldest dropped first.
 */
/** Where previews too large to inline are kept for /api/previews/{id}. */
export interface Previews {
  /** The URL a viewer loads `webp` from. */
  publish(webp: Buffer): string;
  get(id: string): Buffer | null | Promise<Buffer | null>;
}

export class PreviewStore implements Previews {
  private readonly entries = new Map<string, Entry>();
  private totalBytes = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** The URL a viewer loads `webp` from. */
  publish(webp: Buffer): string {
    if (webp.length <= INLINE_PREVIEW_MAX_BYTES) return `data:image/webp;base64,${webp.toString("base64")}`;
    this.prune();
    const id = randomBytes(16).toString("hex");
    this.entries.set(id, { bytes: webp, expiresAt: this.now() + TTL_MS });
    this.totalBytes += webp.length;
    while (this.totalBytes > MAX_TOTAL_BYTES) this.dropOldest();
    return apiPaths.preview(id);
  }

  get(id: string): Buffer | null {
    if (!ID_PATTERN.test(id)) return null;
    const entry = this.entries.get(id);
    if (!entry || entry.expiresAt <= this.now()) return null;
    return entry.bytes;
  }

  private prune(): void {
    const now = this.now();
    // Insertion order is expiry order (one TTL), so stop at the first live entry.
    for (const [id, entry] of this.entries) {
      if (entry.expiresAt > now) break;
      this.entries.delete(id);
      this.totalBytes -= entry.bytes.length;
    }
  }

  private dropOldest(): void {
    const first = this.entries.entries().next();
    if (first.done) return;
    this.entries.delete(first.value[0]);
    this.totalBytes -= first.value[1].bytes.length;
  }
}
