import Database from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { describe, expect, it } from "vitest";
import { ResetTokenCatcher } from "@/lib/server/auth/password-reset-links";
import { createAuthServer } from "@/lib/server/auth/auth-server";
import { WorkspaceMembers } from "@/lib/server/auth/workspace-members";
import type { Tables } from "@/lib/server/storage/sql/schema";
import { migrate } from "@/lib/server/storage/sqlite/open-sqlite";

/** The session cookie's attributes, as better-auth will set them with this app's settings. */
async function sessionCookie(appUrl?: string) {
  const sqlite = new Database(":memory:");
  migrate(sqlite);
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: sqlite }) });
  const auth = createAuthServer({ db, dialect: "sqlite", secret: "unit-test-secret-0123456789abcdef0123", appUrl, signUp: "invite", trustProxy: false, members: new WorkspaceMembers(db), ownership: { moveWorkspace: async () => {} }, resetTokens: new ResetTokenCatcher() });
  const context = await auth.$context;
  await db.destroy();
  return context.authCookies.sessionToken;
}

describe("the session cookie", () => {
  it("is HttpOnly and SameSite=Lax, and not Secure over plain http (a local or loopback server)", async () => {
    const cookie = await sessionCookie();
    expect(cookie.name).toBe("acg.session_token");
    expect(cookie.attributes).toMatchObject({ httpOnly: true, sameSite: "lax", path: "/" });
    expect(cookie.attributes.secure).toBeFalsy();
  });

  it("is Secure (and __Secure- prefixed) when APP_URL is https", async () => {
    const cookie = await sessionCookie("https://ads.example.com");
    expect(cookie.attributes).toMatchObject({ httpOnly: true, sameSite: "lax", secure: true });
    expect(cookie.name).toBe("__Secure-acg.session_token");
  });
});
