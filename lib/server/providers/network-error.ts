import "server-only";
import { ProviderError } from "./provider-error";

/**
 * Turns whatever a fetch-based client threw into a ProviderError. Aborts are rethrown untouched:
 * the runner knows whether it was Stop, a disconnect or its own timeout.
 */
export function classifyThrown(error: unknown, providerLabel: string, signal: AbortSignal): never {
  if (ProviderError.is(error)) throw error;
  if (signal.aborted) throw signal.reason ?? error;
  throw new ProviderError("network", `Could not reach ${providerLabel}: ${networkReason(error)}. Check the network and try again.`, {
    cause: error,
  });
}

/** Why a request failed, in words ("its address could not be found"), from a fetch error or its cause. */
export function networkReason(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? (error as NodeJS.ErrnoException | undefined)?.code;
  if (error instanceof Error && error.name === "TimeoutError") return "it did not answer in time";
  return NETWORK_REASONS[code ?? ""] ?? "the connection failed";
}

/** System error codes in words a marketer can act on. */
const NETWORK_REASONS: Record<string, string> = {
  ENOTFOUND: "its address could not be found (no internet, or a typo in the URL)",
  EAI_AGAIN: "its address could not be looked up right now",
  ECONNREFUSED: "nothing answered at its address",
  ECONNRESET: "the connection was cut",
  ETIMEDOUT: "it did not answer in time",
  EHOSTUNREACH: "it cannot be reached from this network",
  ENETUNREACH: "this server has no network",
  UND_ERR_SOCKET: "the connection was cut",
  ELOOPBACKONLY: "this machine may not connect to the internet",
};

/** Upper bound on one image's bytes, so a misbehaving upstream cannot exhaust memory. */
export const MAX_IMAGE_BYTES = 40 * 1024 * 1024;

/** Reads a fetch body with a size cap. */
export async function readBodyCapped(response: Response, providerLabel: string): Promise<Buffer> {
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > MAX_IMAGE_BYTES) {
    await response.body?.cancel().catch(() => {});
    throw new ProviderError("bad_image", `${providerLabel} sent ${declared} bytes, more than an image should be.`);
  }
  if (!response.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > MAX_IMAGE_BYTES) {
      await response.body.cancel().catch(() => {});
      throw new ProviderError("bad_image", `${providerLabel} sent more than ${MAX_IMAGE_BYTES} bytes for one image.`);
    }
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  return Buffer.concat(chunks, total);
}
