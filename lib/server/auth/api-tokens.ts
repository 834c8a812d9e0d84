import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Tables } from "../storage/sql/schema";
import { toRole, type WorkspaceRole } from "./workspace-members";

/** What a token looks like: the prefix says what it is (and lets secret scanners find it). */
export const TOKEN_PREFIX = "acg_";
const TOKEN_PATTERN = /^acg_[A-Za-z0-9_-]{43}$/;
/** How often a token's "last used" is written: a busy script must not write on every request. */
const LAST_USED_GRANULARITY_MS = 60_000;

export interface ApiTokenView {
  id: string;
  name: string;
  /** The token's first characters, to tell tokens apart; never enough to use one. */
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
}

export interface TokenOwner {
  tokenId: string;
  userId: string;
  workspaceId: string;
  /** The maker's role in the token's workspace, read in the same query that finds the token. */
  role: WorkspaceRole;
}

const hashOf = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * Personal API tokens: a person's key for scripts, in one workspace. The token is 256 random
 * bits, shown once when made; only its SHA-256 is kept (a fast hash is right for a random secret
 * of this length: there is nothing to guess). Revoking deletes nothing but takes effect on the
 * next request, and so does leaving the workspace.
 */
export class ApiTokens {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly now: () => number = Date.now,
  ) {}

  async create(owner: { userId: string; workspaceId: string }, name: string): Promise<{ token: string; view: ApiTokenView }> {
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
    const view: ApiTokenView = { id: randomBytes(12).toString("base64url"), name, prefix: token.slice(0, TOKEN_PREFIX.length + 6), createdAt: this.now(), lastUsedAt: null };
    await this.db
      .insertInto("api_tokens")
      .values({ id: view.id, workspace_id: owner.workspaceId, user_id: owner.userId, name, token_hash: hashOf(token), prefix: view.prefix, created_at: view.createdAt, last_used_at: null, revoked_at: null })
      .execute();
    return { token, view };
  }

  /** The person's live tokens in the workspace, newest first. */
  async list(owner: { userId: string; workspaceId: string }): Promise<ApiTokenView[]> {
    const rows = await this.db
      .selectFrom("api_tokens")
      .select(["id", "name", "prefix", "created_at", "last_used_at"])
      .where("user_id", "=", owner.userId)
      .where("workspace_id", "=", owner.workspaceId)
      .where("revoked_at", "is", null)
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .execute();
    return rows.map((row) => ({ id: row.id, name: row.name, prefix: row.prefix, createdAt: row.created_at, lastUsedAt: row.last_used_at }));
  }

  /** Revokes one of the person's own tokens; false when there is no such live token of theirs. */
  async revoke(owner: { userId: string; workspaceId: string }, tokenId: string): Promise<boolean> {
    const result = await this.db
      .updateTable("api_tokens")
      .set({ revoked_at: this.now() })
      .where("id", "=", tokenId)
      .where("user_id", "=", owner.userId)
      .where("workspace_id", "=", owner.workspaceId)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Revokes every live token of the person, in every workspace (a password reset: whoever had the account may have made them). */
  async revokeAllOf(userId: string): Promise<number> {
    const result = await this.db.updateTable("api_tokens").set({ revoked_at: this.now() }).where("user_id", "=", userId).where("revoked_at", "is", null).executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Whose a presented token is, while it is live and its owner still belongs to its workspace. */
  async verify(token: string): Promise<TokenOwner | undefined> {
    if (!TOKEN_PATTERN.test(token)) return undefined;
    const row = await this.db
      .selectFrom("api_tokens")
      .innerJoin("member", (join) => join.onRef("member.userId", "=", "api_tokens.user_id").onRef("member.organizationId", "=", "api_tokens.workspace_id"))
      .select(["api_tokens.id", "api_tokens.user_id", "api_tokens.workspace_id", "api_tokens.last_used_at", "member.role"])
      .where("api_tokens.token_hash", "=", hashOf(token))
      .where("api_tokens.revoked_at", "is", null)
      .executeTakeFirst();
    if (!row) return undefined;
    const now = this.now();
    if (row.last_used_at === null || now - row.last_used_at >= LAST_USED_GRANULARITY_MS) {
      await this.db.updateTable("api_tokens").set({ last_used_at: now }).where("id", "=", row.id).execute();
    }
    return { tokenId: row.id, userId: row.user_id, workspaceId: row.workspace_id, role: toRole(row.role) };
  }
}

/** The token of an `Authorization: Bearer …` header, or undefined when there is none. */
export function bearerToken(headers: Headers): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.get("authorization") ?? "");
  return match?.[1];
}
