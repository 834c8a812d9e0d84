import "server-only";

/** What went wrong, in words an operator can act on (a service that does not answer says which). */
export function describeStartupError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "ETIMEDOUT") return `${message}. Is the server at DATABASE_URL running and reachable?`;
  if (/password authentication|does not exist/.test(message)) return `${message}. Check the user, password and database name in DATABASE_URL.`;
  return message;
}
