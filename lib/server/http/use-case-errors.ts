import "server-only";
import type { UseCaseError, UseCaseErrorCode } from "../use-cases/use-case-error";
import { jsonError } from "./json-errors";

const STATUS: Record<UseCaseErrorCode, number> = {
  invalid: 400,
  unavailable: 400,
  upstream: 502,
  "rate-limited": 429,
  timeout: 504,
};

/** The answer for a use case's error: its status by code, and its message (with the field it concerns). */
export function answerForError(error: UseCaseError): Response {
  const headers = error.retryAfterSeconds !== undefined ? { "Retry-After": String(error.retryAfterSeconds) } : undefined;
  return jsonError(STATUS[error.code], error.message, error.path ? [{ path: error.path, message: error.message }] : undefined, headers);
}
