import "server-only";
import { bearerToken, type ApiTokens } from "./api-tokens";
import type { AuthServer } from "./auth-server";
import type { Caller } from "./caller";
import type { WorkspaceMembers } from "./workspace-members";

export type CallerResult =
  /** `person`: who signed in, when the caller came with a session (pages show it). */
  | { ok: true; caller: Caller; person?: { name: string; email: string } }
  | { ok: false; reason: "signed-out" | "no-workspace" | "bad-token" };

/**
 * The caller behind a request: an `Authorization: Bearer` API token (a script), else the session
 * cookie (a browser), in the workspace the session names (or their first, when they have left
 * that one). Membership is read on every request, so someone removed from a workspace, or a
 * revoked token, loses access at once.
 */
export async function identifyCaller(deps: { auth: AuthServer; members: WorkspaceMembers; tokens: ApiTokens }, headers: Headers): Promise<CallerResult> {
  const token = bearerToken(headers);
  if (token !== undefined) {
    const owner = await deps.tokens.verify(token);
    return owner ? { ok: true, caller: { workspaceId: owner.workspaceId, userId: owner.userId, role: owner.role, tokenId: owner.tokenId } } : { ok: false, reason: "bad-token" };
  }
  const session = await deps.auth.api.getSession({ headers });
  if (!session) return { ok: false, reason: "signed-out" };
  const userId = session.user.id;
  const person = { name: session.user.name, email: session.user.email };
  const active = session.session.activeOrganizationId;
  const role = active ? await deps.members.roleIn(userId, active) : undefined;
  if (active && role) return { ok: true, caller: { workspaceId: active, userId, role }, person };
  const first = await deps.members.firstWorkspaceOf(userId);
  return first ? { ok: true, caller: { workspaceId: first.workspaceId, userId, role: first.role }, person } : { ok: false, reason: "no-workspace" };
}
