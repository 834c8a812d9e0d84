/**
 * `npm run reset-password -- someone@example.com`: prints a one-time password-reset link for
 * that account, for whoever runs the server (an owner who forgot theirs has nobody above them
 * in the app). Reads the same settings as `npm start` (.env.local, then the environment) and
 * talks to the same database; the link works for a day and signs the account out everywhere.
 */
import fs from "node:fs";
import { authSecret } from "../lib/server/auth/auth-secret";
import { createAuthServer } from "../lib/server/auth/auth-server";
import { ResetTokenCatcher, resetPath } from "../lib/server/auth/password-reset-links";
import { WorkspaceMembers } from "../lib/server/auth/workspace-members";
import { ConfigError, parseEnv } from "../lib/server/env";
import { openPostgres } from "../lib/server/storage/postgres/open-postgres";
import { SqlJobStore } from "../lib/server/storage/sql/sql-job-store";
import { openSqlite } from "../lib/server/storage/sqlite/open-sqlite";

async function main(email: string | undefined): Promise<number> {
  if (!email || !email.includes("@")) {
    console.error("Usage: npm run reset-password -- someone@example.com");
    return 1;
  }
  if (fs.existsSync(".env.local")) process.loadEnvFile(".env.local");
  // The address the server listens on does not matter to this command.
  const config = parseEnv({ ...process.env, BIND_HOST: "127.0.0.1" });
  const db = config.deployment.mode === "distributed" ? await openPostgres(config.deployment.databaseUrl, { max: 2 }) : openSqlite(config.DATA_DIR);
  try {
    const members = new WorkspaceMembers(db);
    const resetTokens = new ResetTokenCatcher();
    const auth = createAuthServer({
      db,
      dialect: config.deployment.mode === "distributed" ? "postgres" : "sqlite",
      secret: authSecret(config.AUTH_SECRET, config.DATA_DIR),
      appUrl: config.APP_URL,
      signUp: config.SIGN_UP,
      trustProxy: config.TRUST_PROXY,
      members,
      ownership: new SqlJobStore(db),
      resetTokens,
    });
    const token = await resetTokens.tokenFor((input) => auth.api.requestPasswordReset(input), email.trim().toLowerCase());
    if (!token) {
      console.error(`No account signs in with ${email} on this server (DATA_DIR ${config.DATA_DIR}${config.deployment.mode === "distributed" ? ", or DATABASE_URL" : ""}).`);
      return 1;
    }
    const origin = config.APP_URL ?? `http://${process.env.HOST?.trim() || "127.0.0.1"}:${process.env.PORT?.trim() || "3000"}`;
    console.log(`Open this link to choose a new password for ${email} (it works once, for a day; using it signs that account out everywhere and ends its API tokens):\n${origin}${resetPath(token)}`);
    return 0;
  } finally {
    await db.destroy();
  }
}

main(process.argv[2]).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : `Could not make the link: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
