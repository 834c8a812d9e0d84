import { organizationClient } from "better-auth/client/plugins";
import { createAuthClient } from "better-auth/react";

/** better-auth's browser client, on this origin's /api/auth (made on first use, in the browser). */
let client: ReturnType<typeof makeClient> | undefined;

function makeClient() {
  return createAuthClient({ plugins: [organizationClient()] });
}

export function authClient() {
  client ??= makeClient();
  return client;
}

/** better-auth's error, as a sentence the form can show. */
export function authProblem(error: { message?: string; status?: number; statusText?: string } | null | undefined, fallback: string): string {
  if (!error) return fallback;
  if (error.status === 429) return "Too many attempts: wait a minute, then try again.";
  return error.message || error.statusText || fallback;
}
