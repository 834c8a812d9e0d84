import "server-only";
import { isDiskFull } from "../storage/disk-full";
import { jsonError } from "./json-errors";

export { isDiskFull };

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
