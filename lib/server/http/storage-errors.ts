import "server-only";
import { jsonError } from "./json-errors";

/** Error codes that mean "no room left" from the file system (errno) and from SQLite. */
const FULL_CODES = new Set(["ENOSPC", "EDQUOT", "SQLITE_FULL"]);

export function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && FULL_CODES.has(code);
}

/** 507 Insufficient Storage, saying what to do, instead of a bare 500. */
export function diskFullResponse(): Response {
  return jsonError(507, "The disk is full: nothing could be saved in DATA_DIR. Delete old campaigns in History (that frees their images first) or free space on the server, then try again.");
}

/**
 * Runs a route handler; a full disk becomes a 507 JSON answer. Anything else is rethrown, to be
 * logged as the bug it is.
 */
export async function withStorageErrors(handler: () => Response | Promise<Response>): Promise<Response> {
  try {
    return await handler();
  } catch (error) {
    if (isDiskFull(error)) return diskFullResponse();
    throw error;
  }
}
