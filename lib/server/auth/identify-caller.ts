import "server-only";
import type { AuthServer } from "./auth-server";
import type { Caller } from "./caller";
import type { WorkspaceMembers } from "./workspace-members";

export type CallerResult = { ok: true; caller: Caller } | { ok: false; reason: "signed-out" | "no-workspace" };

/**
 * The caller behind a request's session cookie, in the workspace their session names (or their
 * first, when they have left that one). Membership is read on every request, so someone removed
 * from a workspace loses it at once.
 */
export async function identifyCaller(deps: { auth: AuthServer; members: WorkspaceMembers }, headers: Headers): Promise<CallerResult> {
  const session = await deps.auth.api.getSession({ headers });
  if (!session) return { ok: false, reason: "signed-out" };
  const userId = session.user.id;
  const active = session.session.activeOrganizationId;
  const role = active ? await deps.members.roleIn(userId, active) : undefined;
  if (active && role) return { ok: true, caller: { workspaceId: active, userId, role } };
  const first = await deps.members.firstWorkspaceOf(userId);
  return first ? { ok: true, caller: { workspaceId: first.workspaceId, userId, role: first.role } } : { ok: false, reason: "no-workspace" };
}
