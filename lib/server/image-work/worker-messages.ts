import "server-only";
import type { ErrorCode } from "@/lib/events";
import { ProviderError } from "../providers/provider-error";

/**
 * What crosses between the main thread and an image worker. Buffers arrive as plain Uint8Arrays
 * and errors lose their class on the way, so results say success or failure explicitly and a
 * failure keeps the `ProviderError` code the marketer's message depends on.
 */
export type WorkerResult<T> = { ok: true; value: T } | { ok: false; message: string; providerCode?: ErrorCode };

export function succeed<T>(value: T): WorkerResult<T> {
  return { ok: true, value };
}

export function fail(error: unknown): WorkerResult<never> {
  const message = error instanceof Error ? error.message : String(error);
  return ProviderError.is(error) ? { ok: false, message, providerCode: error.code } : { ok: false, message };
}

export function unwrap<T>(result: WorkerResult<T>): T {
  if (result.ok) return result.value;
  throw result.providerCode ? new ProviderError(result.providerCode, result.message) : new Error(result.message);
}

/** A Buffer view of bytes that crossed a thread boundary (no copy). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
