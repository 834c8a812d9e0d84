import "server-only";
import { isDiskFull } from "../storage/disk-full";
import { AppError, type AppErrorCode } from "../use-cases/app-error";
import { jsonError } from "./json-errors";

/** The one place an error's code becomes an HTTP status. */
export const errorCodeToHttpStatus: Record<AppErrorCode, number> = {
  invalid: 400,
  unavailable: 400,
  unauthenticated: 401,
  "bad-token": 401,
  forbidden: 403,
  "not-found": 404,
  conflict: 409,
  "too-large": 413,
  "unsupported-media": 415,
  "rate-limited": 429,
  upstream: 502,
  "shutting-down": 503,
  timeout: 504,
  "disk-full": 507,
};

const CHALLENGE: Partial<Record<AppErrorCode, string>> = {
  unauthenticated: 'Bearer realm="ad-creative-generator"',
  "bad-token": 'Bearer realm="ad-creative-generator", error="invalid_token"',
};

export const DISK_FULL_MESSAGE = "The disk is full: nothing could be saved in DATA_DIR. Delete old campaigns in History (that frees their images first) or free space on the server, then try again.";

/** A full disk, wherever it was met, is the same AppError; anything else that is not one stays a bug. */
export function asAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  if (isDiskFull(error)) return new AppError("disk-full", DISK_FULL_MESSAGE);
  return null;
}

/** The JSON answer for an AppError: its status by code, its message, and the fields it concerns. */
export function errorResponse(error: AppError): Response {
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) headers["Retry-After"] = String(error.retryAfterSeconds);
  const challenge = CHALLENGE[error.code];
  if (challenge) headers["WWW-Authenticate"] = challenge;
  const issues = error.issues ?? (error.field ? [{ path: error.field, message: error.message }] : undefined);
  return jsonError(errorCodeToHttpStatus[error.code], error.message, issues, headers);
}

/**
 * A request refused at the edge with an answer of its own (a body over its limit must also close
 * the connection): thrown by the edge's readers, answered as it is.
 */
export class RefusedRequest {
  constructor(readonly response: Response) {}
}

/**
 * Runs a route handler: an AppError (a full disk among them) becomes its JSON answer, a refused
 * request its own; anything else is rethrown, to be logged as the bug it is.
 */
export async function answer(handler: () => Response | Promise<Response>): Promise<Response> {
  try {
    return await handler();
  } catch (error) {
    if (error instanceof RefusedRequest) return error.response;
    const known = asAppError(error);
    if (known) return errorResponse(known);
    throw error;
  }
}
