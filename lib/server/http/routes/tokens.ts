import "server-only";
import { newApiTokenSchema } from "@/lib/api-tokens";
import { authorizeAccount } from "../authorize";
import { issuesFromZod, jsonError } from "../json-errors";
import { readJsonBody } from "../read-json-body";

const noStore = { "Cache-Control": "no-store" };

/** GET /api/tokens: the caller's live tokens in their workspace (never the tokens themselves). */
export async function listApiTokens(request: Request): Promise<Response> {
  const authorized = await authorizeAccount(request);
  if (!authorized.ok) return authorized.response;
  const { userId, workspaceId } = authorized.caller;
  return Response.json({ tokens: await authorized.accounts.tokens.list({ userId: userId!, workspaceId }) }, { headers: noStore });
}

/** POST /api/tokens: a new token, shown in this answer only; made while signed in, not with another token. */
export async function createApiToken(request: Request): Promise<Response> {
  const authorized = await authorizeAccount(request, { personOnly: "Tokens are made on the Workspace page while signed in, not with another token." });
  if (!authorized.ok) return authorized.response;
  const body = await readJsonBody(request, 4 * 1024);
  if (!body.ok) return body.response;
  const parsed = newApiTokenSchema.safeParse(body.value);
  if (!parsed.success) return jsonError(400, "The token is not valid: fix the fields listed in issues.", issuesFromZod(parsed.error));
  const { userId, workspaceId } = authorized.caller;
  const { token, view } = await authorized.accounts.tokens.create({ userId: userId!, workspaceId }, parsed.data.name);
  return Response.json({ ...view, token }, { status: 201, headers: noStore });
}

/** DELETE /api/tokens/{id}: revokes one of the caller's tokens; the next request with it gets 401. */
export async function revokeApiToken(request: Request, tokenId: string): Promise<Response> {
  const authorized = await authorizeAccount(request);
  if (!authorized.ok) return authorized.response;
  const { userId, workspaceId } = authorized.caller;
  const revoked = /^[A-Za-z0-9_-]{1,64}$/.test(tokenId) && (await authorized.accounts.tokens.revoke({ userId: userId!, workspaceId }, tokenId));
  return revoked ? new Response(null, { status: 204 }) : jsonError(404, "You have no live token with that id in this workspace.");
}
