import "server-only";
import type { z } from "zod";
import { AppError } from "../use-cases/app-error";
import { RefusedRequest } from "./error-response";
import { issuesFromZod, jsonError } from "./json-errors";

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
    if (total > maxBytes) return { ok: false, response: await refuseOversized(reader, 413, tooLarge) };
    chunks.push(value);
  }
  return { ok: true, bytes: Buffer.concat(chunks) };
}

/** How much of a refused body (sent without Content-Length) is read and thrown away to keep the connection usable. */
const DISCARD_LIMIT_BYTES = 8 * 1024 * 1024;

/**
 * Answers a body that went over its limit while being read. An HTTP/1.1 server must read the rest
 * of the body or close the connection: cancelling the stream alone leaves the unread bytes on the
 * keep-alive socket, and the client's next request on it hangs until the socket times out. So the
 * rest is discarded (nothing is kept), and past DISCARD_LIMIT_BYTES the connection is closed instead.
 */
async function refuseOversized(reader: ReadableStreamDefaultReader<Uint8Array>, status: number, message: string): Promise<Response> {
  let discarded = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return jsonError(status, message);
      discarded += value.byteLength;
      if (discarded > DISCARD_LIMIT_BYTES) break;
    }
  } catch {
    // The client went away; the connection is closed below either way.
  }
  await reader.cancel().catch(() => {});
  return jsonError(status, message, undefined, { Connection: "close" });
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
  const body = await readBodyBytes(request, maxBytes, `The request body is too large: at most ${maxBytes} bytes.`);
  if (!body.ok) return body;
  const text = new TextDecoder("utf-8", { fatal: false }).decode(body.bytes);
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

/**
 * The body as `schema` reads it. A body that is not JSON, too large or empty is refused with its
 * own answer; one the schema rejects is an "invalid" error listing each field to fix.
 */
export async function readParsedBody<Schema extends z.ZodType>(request: Request, maxBytes: number, schema: Schema, invalid: string, options: { notAnObject?: string } = {}): Promise<z.infer<Schema>> {
  const body = await readJsonBody(request, maxBytes);
  if (!body.ok) throw new RefusedRequest(body.response);
  const isObject = typeof body.value === "object" && body.value !== null && !Array.isArray(body.value);
  if (options.notAnObject && !isObject) throw new AppError("invalid", options.notAnObject);
  const parsed = schema.safeParse(body.value);
  if (!parsed.success) throw new AppError("invalid", invalid, { issues: issuesFromZod(parsed.error) });
  return parsed.data;
}

/** A raw upload's bytes, refused with its own answer past `maxBytes`. */
export async function readUploadBytes(request: Request, maxBytes: number, tooLarge: string): Promise<Buffer> {
  const body = await readBodyBytes(request, maxBytes, tooLarge);
  if (!body.ok) throw new RefusedRequest(body.response);
  return body.bytes;
}
