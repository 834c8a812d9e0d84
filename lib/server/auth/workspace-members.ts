import "server-only";
import type { Kysely } from "kysely";
import type { Tables } from "../storage/sql/schema";

export type WorkspaceRole = "owner" | "admin" | "member";

export interface InvitationView {
  id: string;
  workspaceId: string;
  workspaceName: string;
  email: string;
  role: WorkspaceRole;
  inviterName: string;
  status: string;
  expiresAt: number;
  /** Pending and not expired: the link still works. */
  usable: boolean;
}

/**
 * What the app reads of better-auth's tables itself: who belongs to which workspace, and what an
 * invitation link stands for. better-auth writes these tables; nothing here changes them.
 */
export class WorkspaceMembers {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly now: () => number = Date.now,
  ) {}

  async hasAnyUser(): Promise<boolean> {
    return (await this.db.selectFrom("user").select("id").limit(1).executeTakeFirst()) !== undefined;
  }

  async hasUserWithEmail(email: string): Promise<boolean> {
    return (await this.db.selectFrom("user").select("id").where("email", "=", email.trim().toLowerCase()).executeTakeFirst()) !== undefined;
  }

  async hasAnyWorkspace(): Promise<boolean> {
    return (await this.db.selectFrom("organization").select("id").limit(1).executeTakeFirst()) !== undefined;
  }

  /** The member's role in the workspace, or undefined when they are not (or no longer) in it. */
  async roleIn(userId: string, workspaceId: string): Promise<WorkspaceRole | undefined> {
    const row = await this.db.selectFrom("member").select("role").where("userId", "=", userId).where("organizationId", "=", workspaceId).executeTakeFirst();
    return row ? toRole(row.role) : undefined;
  }

  /** The workspace a member lands in when their session names none (or one they have left): the first they joined. */
  async firstWorkspaceOf(userId: string): Promise<{ workspaceId: string; role: WorkspaceRole } | undefined> {
    const row = await this.db.selectFrom("member").select(["organizationId", "role"]).where("userId", "=", userId).orderBy("createdAt").orderBy("id").limit(1).executeTakeFirst();
    return row ? { workspaceId: row.organizationId, role: toRole(row.role) } : undefined;
  }

  /** Every workspace the person belongs to, in the order they joined. */
  async workspacesOf(userId: string): Promise<{ workspaceId: string; name: string; role: WorkspaceRole }[]> {
    const rows = await this.db
      .selectFrom("member")
      .innerJoin("organization", "organization.id", "member.organizationId")
      .select(["member.organizationId", "organization.name", "member.role"])
      .where("member.userId", "=", userId)
      .orderBy("member.createdAt")
      .orderBy("member.id")
      .execute();
    return rows.map((row) => ({ workspaceId: row.organizationId, name: row.name, role: toRole(row.role) }));
  }

  async workspaceName(workspaceId: string): Promise<string | undefined> {
    return (await this.db.selectFrom("organization").select("name").where("id", "=", workspaceId).executeTakeFirst())?.name;
  }

  /** A pending, unexpired invitation for this address: what lets someone create an account when sign-up is by invitation. */
  async isInvited(email: string): Promise<boolean> {
    const rows = await this.db.selectFrom("invitation").select("expiresAt").where("email", "=", email.trim().toLowerCase()).where("status", "=", "pending").execute();
    const now = this.now();
    return rows.some((row) => toTime(row.expiresAt) > now);
  }

  async membersOf(workspaceId: string): Promise<{ memberId: string; userId: string; name: string; email: string; role: WorkspaceRole }[]> {
    const rows = await this.db
      .selectFrom("member")
      .innerJoin("user", "user.id", "member.userId")
      .select(["member.id", "member.userId", "member.role", "user.name", "user.email"])
      .where("member.organizationId", "=", workspaceId)
      .orderBy("member.createdAt")
      .execute();
    return rows.map((row) => ({ memberId: row.id, userId: row.userId, name: row.name, email: row.email, role: toRole(row.role) }));
  }

  /** Invitations still waiting to be accepted, newest last. */
  async pendingInvitations(workspaceId: string): Promise<{ id: string; email: string; role: WorkspaceRole; expiresAt: number }[]> {
    const rows = await this.db.selectFrom("invitation").select(["id", "email", "role", "expiresAt"]).where("organizationId", "=", workspaceId).where("status", "=", "pending").execute();
    return rows
      .map((row) => ({ id: row.id, email: row.email, role: toRole(row.role ?? "member"), expiresAt: toTime(row.expiresAt) }))
      .filter((row) => row.expiresAt > this.now())
      .sort((a, b) => a.expiresAt - b.expiresAt);
  }

  async invitation(id: string): Promise<InvitationView | undefined> {
    const row = await this.db
      .selectFrom("invitation")
      .innerJoin("organization", "organization.id", "invitation.organizationId")
      .innerJoin("user", "user.id", "invitation.inviterId")
      .select(["invitation.id", "invitation.organizationId", "organization.name as workspaceName", "invitation.email", "invitation.role", "invitation.status", "invitation.expiresAt", "user.name as inviterName"])
      .where("invitation.id", "=", id)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      id: row.id,
      workspaceId: row.organizationId,
      workspaceName: row.workspaceName,
      email: row.email,
      role: toRole(row.role ?? "member"),
      inviterName: row.inviterName,
      status: row.status,
      expiresAt: toTime(row.expiresAt),
      usable: row.status === "pending" && toTime(row.expiresAt) > this.now(),
    };
  }
}

export function toRole(role: string): WorkspaceRole {
  // better-auth keeps several roles comma-separated; the strongest one decides.
  const roles = role.split(",").map((item) => item.trim());
  return roles.includes("owner") ? "owner" : roles.includes("admin") ? "admin" : "member";
}

/** better-auth keeps dates as Date in Postgres and as ISO text (or epoch numbers) in SQLite. */
function toTime(value: Date | string | number): number {
  return value instanceof Date ? value.getTime() : typeof value === "number" ? value : Date.parse(value);
}
