import "server-only";
import { jobIdSchema } from "../jobs/job-requests";
import { jsonError } from "./json-errors";

/** A job id from the path, or the 400 that refuses it before any storage is touched. */
export function parseJobId(raw: string): { ok: true; id: string } | { ok: false; response: Response } {
  return jobIdSchema.safeParse(raw).success ? { ok: true, id: raw } : { ok: false, response: jsonError(400, "That is not a job id.") };
}
