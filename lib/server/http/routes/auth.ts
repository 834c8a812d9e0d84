import "server-only";
import { toNextJsHandler } from "better-auth/next-js";
import { appContext } from "../../app-context";
import { jsonError } from "../json-errors";

/** /api/auth/*: better-auth's own endpoints (sign-up, sign-in, sign-out, workspaces, invitations). */
export function handleAuthRequest(request: Request): Promise<Response> {
  const { accounts } = appContext();
  if (!accounts) return Promise.resolve(jsonError(404, "Accounts are off on this server (AUTH=off): there is nothing to sign in to."));
  const handler = toNextJsHandler(accounts.auth);
  return request.method === "GET" ? handler.GET(request) : handler.POST(request);
}
