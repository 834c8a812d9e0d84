import "server-only";
import { jobIdSchema } from "../jobs/job-requests";
import { AppError } from "../use-cases/app-error";

/** A job id from the path, or the error that refuses it before any storage is touched. */
export function parseJobId(raw: string): string {
  if (!jobIdSchema.safeParse(raw).success) throw new AppError("invalid", "That is not a job id.");
  return raw;
}
