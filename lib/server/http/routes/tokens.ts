import "server-only";
import { newApiTokenSchema } from "@/lib/api-tokens";
import { appContext } from "../../app-context";
import { authorize } from "../authorize";
import { issuesFromZod, jsonError } from "../json-errors";
import { readJsonBody } from "../read-json-body";

const noStore = { "Cache-Control": "no-store" };

function accountsOff(): Response {
  return jsonError(404, "Accounts are off on this server (AUTH=off): scripts call the API without a token.");
}

/** GET /api/tokens: the caller's live tokens in their workspace (never the tokens themselves). */
export async function listApiTokens(request: Request): Promise<Response> {
  const { accounts } = appContext();
  if (!accounts) return accountsOff();
  const authorized = await authorize(request);
  if (!authorized.ok) return authorized.response;
  const { userId, workspaceId } = authorized.caller;
  return Response.json({ tokens: await accounts.tokens.list({ userId: userId!, workspaceId }) }, { headers: noStore });
}

/**
 * POST /api/tokens: a new token, shown in this answer only. Made from a signed-in browser, not
 * with another token, so a leaked token cannot mint more.
 */
export async function createApiToken(request: Request): Promise<Response> {
  const { accounts } = appContext();
  if (!accounts) return accountsOff();
  const authorized = await authorize(request);
  if (!authorized.ok) return authorized.response;
  if (authorized.caller.tokenId) return jsonError(403, "Tokens are made on the Workspace page while signed in, not with another token.");
  const body = await readJsonBody(request, 4 * 1024);
  if (!body.ok) return body.response;
  const parsed = newApiTokenSchema.safeParse(body.value);
  if (!parsed.success) return jsonError(400, "The token is not valid: fix the fields listed in issues.", issuesFromZod(parsed.error));
  const { userId, workspaceId } = authorized.caller;
  const { token, view } = await accounts.tokens.create({ userId: userId!, workspaceId }, parsed.data.name);
  return Response.json({ ...view, token }, { status: 201, headers: noStore });
}

/** DELETE /api/tokens/{id}: revokes one of the caller's tokens; the next request with it gets 401. */
export async function revokeApiToken(request: Request, tokenId: string): Promise<Response> {
  const { accounts } = appContext();
  if (!accounts) return accountsOff();
  const authorized = await authorize(request);
  if (!authorized.ok) return authorized.response;
  const { userId, workspaceId } = authorized.caller;
  const revoked = /^[A-Za-z0-9_-]{1,64}$/.test(tokenId) && (await accounts.tokens.revoke({ userId: userId!, workspaceId }, tokenId));
  return revoked ? new Response(null, { status: 204 }) : jsonError(404, "You have no live token with that id in this workspace.");
}
