import "server-only";
import { apiPaths } from "@/lib/api-paths";
import { randomBytes } from "node:crypto";

/** Previews this small travel inside the event as a data: URL: no second request before pixels. */
export const INLINE_PREVIEW_MAX_BYTES = 16 * 1024;
/** How long a preview too large to inline stays servable, wherever it is kept. */
export const PREVIEW_TTL_MS = 5 * 60_000;
const MAX_TOTAL_BYTES = 64 * 1024 * 1024;
const ID_PATTERN = /^[0-9a-f]{32}$/;

export const isPreviewId = (id: string) => ID_PATTERN.test(id);

/** The data: URL of a preview small enough to travel inside its event, else null (it is kept and served). */
export function inlinePreview(webp: Buffer): string | null {
  return webp.length <= INLINE_PREVIEW_MAX_BYTES ? `data:image/webp;base64,${webp.toString("base64")}` : null;
}

interface Entry {
  bytes: Buffer;
  jobId: string;
  expiresAt: number;
}

/** A kept preview and the job it belongs to (whose workspace may see it). */
export interface KeptPreview {
  bytes: Buffer;
  jobId: string;
}

/**
 * Larger previews, kept in memory for a few minutes: they are transient (never in the job's log),
 * so losing them on restart loses nothing. Bounded by age and total size, oldest dropped first.
 */
/** Where previews too large to inline are kept for /api/previews/{id}. */
export interface Previews {
  /** The URL a viewer of job `jobId` loads `webp` from. */
  publish(webp: Buffer, jobId: string): string;
  get(id: string): KeptPreview | null | Promise<KeptPreview | null>;
}

export class PreviewStore implements Previews {
  private readonly entries = new Map<string, Entry>();
  private totalBytes = 0;

  constructor(private readonly now: () => number = Date.now) {}

  publish(webp: Buffer, jobId: string): string {
    const inline = inlinePreview(webp);
    if (inline) return inline;
    this.prune();
    const id = randomBytes(16).toString("hex");
    this.entries.set(id, { bytes: webp, jobId, expiresAt: this.now() + PREVIEW_TTL_MS });
    this.totalBytes += webp.length;
    while (this.totalBytes > MAX_TOTAL_BYTES) this.dropOldest();
    return apiPaths.preview(id);
  }

  get(id: string): KeptPreview | null {
    if (!isPreviewId(id)) return null;
    const entry = this.entries.get(id);
    if (!entry || entry.expiresAt <= this.now()) return null;
    return { bytes: entry.bytes, jobId: entry.jobId };
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
