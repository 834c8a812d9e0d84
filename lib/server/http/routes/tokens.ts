import "server-only";
import { newApiTokenSchema } from "@/lib/api-tokens";
import { AppError } from "../../use-cases/app-error";
import { accountCallerOf } from "../authorize";
import { answer } from "../error-response";
import { readParsedBody } from "../read-json-body";

const noStore = { "Cache-Control": "no-store" };

/** GET /api/tokens: the caller's live tokens in their workspace (never the tokens themselves). */
export function listApiTokens(request: Request): Promise<Response> {
  return answer(async () => {
    const { caller, accounts } = await accountCallerOf(request);
    return Response.json({ tokens: await accounts.tokens.list({ userId: caller.userId!, workspaceId: caller.workspaceId }) }, { headers: noStore });
  });
}

/** POST /api/tokens: a new token, shown in this answer only; made while signed in, not with another token. */
export function createApiToken(request: Request): Promise<Response> {
  return answer(async () => {
    const { caller, accounts } = await accountCallerOf(request, { personOnly: "Tokens are made on the Workspace page while signed in, not with another token." });
    const { name } = await readParsedBody(request, 4 * 1024, newApiTokenSchema, "The token is not valid: fix the fields listed in issues.");
    const { token, view } = await accounts.tokens.create({ userId: caller.userId!, workspaceId: caller.workspaceId }, name);
    return Response.json({ ...view, token }, { status: 201, headers: noStore });
  });
}

/** DELETE /api/tokens/{id}: revokes one of the caller's tokens; the next request with it gets 401. */
export function revokeApiToken(request: Request, tokenId: string): Promise<Response> {
  return answer(async () => {
    const { caller, accounts } = await accountCallerOf(request);
    const revoked = /^[A-Za-z0-9_-]{1,64}$/.test(tokenId) && (await accounts.tokens.revoke({ userId: caller.userId!, workspaceId: caller.workspaceId }, tokenId));
    if (!revoked) throw new AppError("not-found", "You have no live token with that id in this workspace.");
    return new Response(null, { status: 204 });
  });
}
