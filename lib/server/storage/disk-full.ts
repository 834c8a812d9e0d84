import "server-only";

/** Error codes that mean "no room left" from the file system (errno) and from SQLite. */
const FULL_CODES = new Set(["ENOSPC", "EDQUOT", "SQLITE_FULL"]);

export function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && FULL_CODES.has(code);
}
