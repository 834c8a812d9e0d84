import "server-only";
import { jsonError } from "./json-errors";

export type BodyResult = { ok: true; value: unknown } | { ok: false; response: Response };
export type BytesResult = { ok: true; bytes: Buffer } | { ok: false; response: Response };

/** Reads a raw body, refusing it as soon as it passes `maxBytes`. */
export async function readBodyBytes(request: Request, maxBytes: number, tooLarge: string): Promise<BytesResult> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) return { ok: false, response: jsonError(413, tooLarge) };
  if (!request.body) return { ok: true, bytes: Buffer.alloc(0) };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      return { ok: false, response: jsonError(413, tooLarge) };
    }
    chunks.push(value);
  }
  return { ok: true, bytes: Buffer.concat(chunks) };
}

/**
 * Reads a JSON body with a hard size cap, counting bytes as they arrive so a lying or missing
 * Content-Length cannot make us buffer more than `maxBytes`.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<BodyResult> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(contentType)) {
    return fail(415, "Send the request body as JSON with the header Content-Type: application/json.");
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) return fail(413, `The request body is too large: at most ${maxBytes} bytes.`);
  if (!request.body) return fail(400, "The request body is empty: send the campaign as a JSON object.");

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      return fail(413, `The request body is too large: at most ${maxBytes} bytes.`);
    }
    chunks.push(value);
  }
  const text = new TextDecoder("utf-8", { fatal: false }).decode(Buffer.concat(chunks));
  if (text.trim() === "") return fail(400, "The request body is empty: send the campaign as a JSON object.");
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return fail(400, "The request body is not valid JSON.");
  }
}

function fail(status: number, message: string): BodyResult {
  return { ok: false, response: jsonError(status, message) };
}
