import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { AppError } from "../use-cases/app-error";
import type { Caller } from "./caller";
import type { WorkspaceMembers } from "./workspace-members";

/** How long a reset link works: a day, since it is passed on by hand, not mailed. */
export const RESET_LINK_LIFETIME_SECONDS = 60 * 60 * 24;

/**
 * better-auth makes a reset token and hands it to `sendResetPassword` to be mailed; with no mail
 * server, the token is caught here instead, for the request that asked for it only. One per auth
 * server: whoever builds the server (the app context, the operator's command) makes one, gives it
 * to the server's `sendResetPassword`, and asks it for tokens.
 */
export class ResetTokenCatcher {
  private readonly catching = new AsyncLocalStorage<{ token?: string }>();

  /** better-auth's `sendResetPassword`: outside `tokenFor` (its public request is switched off), nothing is caught. */
  catch(token: string): void {
    const store = this.catching.getStore();
    if (store) store.token = token;
  }

  /** A one-time reset token for an account, made by better-auth's `requestPasswordReset` and caught here; undefined for an account without a password. */
  tokenFor(requestReset: RequestReset, email: string): Promise<string | undefined> {
    return this.catching.run({}, async () => {
      await requestReset({ body: { email } });
      return this.catching.getStore()?.token;
    });
  }
}

export type RequestReset = (input: { body: { email: string } }) => Promise<unknown>;

/** The page a reset token opens. */
export const resetPath = (token: string) => `/reset-password?token=${encodeURIComponent(token)}`;

/**
 * Remembers which workspace made a reset link, beside better-auth's own record of the token, so
 * the link is checked again when it is used (`scopedResetRefusal`): someone may have joined
 * another workspace in the day it lives.
 */
export type ScopeResetLink = (token: string, workspaceId: string) => Promise<void>;

export const resetScopeIdentifier = (token: string) => `reset-scope:${token}`;


/**
 * A password-reset link for a member of the caller's workspace, to pass on by hand. Owners reset
 * admins and members, admins reset members; nobody resets an owner this way (an owner who forgot
 * theirs asks the operator: `npm run reset-password`), nor their own (they know it: they are signed in),
 * nor an account that also belongs to another workspace: whoever holds the link signs in as that
 * person everywhere, so it would open a workspace the caller has no say over.
 */
export async function memberResetLink(deps: { members: WorkspaceMembers; resetToken: (email: string) => Promise<string | undefined>; scopeLink: ScopeResetLink }, caller: Caller, memberId: string): Promise<{ path: string; email: string }> {
  if (caller.role === "member") throw new AppError("forbidden", "Only the workspace's owner and admins can make password-reset links.");
  const member = (await deps.members.membersOf(caller.workspaceId)).find((candidate) => candidate.memberId === memberId);
  if (!member) throw new AppError("not-found", "No member with that id in this workspace.");
  if (member.userId === caller.userId) throw new AppError("forbidden", "Reset links are for other members: you are signed in as yourself.");
  if (member.role === "owner" || (member.role === "admin" && caller.role !== "owner")) {
    throw new AppError("forbidden", `Only ${member.role === "owner" ? "the operator (npm run reset-password)" : "the owner"} can reset the password of ${member.email}.`);
  }
  const elsewhere = await otherMembershipsReason(deps.members, member, caller.workspaceId);
  if (elsewhere) throw new AppError("forbidden", elsewhere);
  const token = await deps.resetToken(member.email);
  if (!token) throw new AppError("not-found", "That account has no password to reset.");
  await deps.scopeLink(token, caller.workspaceId);
  return { path: resetPath(token), email: member.email };
}

/**
 * Why a link a workspace made may not be used now, or undefined: the account has since come to own,
 * or belong to, another workspace too. Links the operator printed have no scope and are not checked.
 */
export async function scopedResetRefusal(members: WorkspaceMembers, account: { userId: string; email: string }, workspaceId: string): Promise<string | undefined> {
  const reason = await otherMembershipsReason(members, account, workspaceId);
  return reason && `This link can no longer be used: since it was made, ${reason.charAt(0).toLowerCase()}${reason.slice(1)}`;
}

/** Why a member's password is not this workspace's to reset: they own, or belong to, another one too. */
async function otherMembershipsReason(members: WorkspaceMembers, member: { userId: string; email: string }, workspaceId: string): Promise<string | undefined> {
  const others = (await members.workspacesOf(member.userId)).filter((membership) => membership.workspaceId !== workspaceId);
  if (others.length === 0) return undefined;
  const owned = others.find((membership) => membership.role === "owner");
  const why = owned
    ? `${member.email} also owns another workspace (${owned.name})`
    : `${member.email} is also a member of another workspace (${others[0]!.name})`;
  return (
    `${why}: a reset link made here would let its holder into that workspace too. ` +
    "Only whoever runs the server can make one for such an account: ask them to run npm run reset-password -- their address."
  );
}
