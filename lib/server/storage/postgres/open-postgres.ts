import "server-only";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import type { Tables } from "../sql/schema";
import { schemaChangesAsSql } from "../sql/schema-sql";
import { POSTGRES_MIGRATIONS } from "./postgres-migrations";

const INT8 = 20;

/**
 * A pool on DATABASE_URL, its schema brought up to date first. Times, seeds and sizes are
 * BIGINT columns; they are read as numbers (all stay below 2^53), like SQLite gives them.
 */
export async function openPostgres(url: string, options: { max?: number } = {}): Promise<Kysely<Tables>> {
  const db = createPostgres(url, options);
  try {
    await migratePostgres(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return db;
}

/** The pool alone, connecting on first use (a web instance migrates at start-up, before serving). */
export function createPostgres(url: string, options: { max?: number } = {}): Kysely<Tables> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    types: { getTypeParser: ((oid: number, format?: "text" | "binary") => (oid === INT8 ? Number : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser },
  });
  // A connection whose server went away (a Postgres restart) is dropped, not a crash: idle ones
  // report to the pool, and one in use reports on itself (its query fails and is retried).
  pool.on("error", (error) => console.error("[postgres] connection lost:", error.message));
  pool.on("connect", (client) => client.on("error", (error) => console.error("[postgres] connection lost while in use:", error.message)));
  return new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
}

/** Postgres's shipped history, then the changes written once for both databases (`sql/schema.ts`). */
export function postgresMigrations(): string[] {
  return [...POSTGRES_MIGRATIONS, ...schemaChangesAsSql("postgres")];
}

/** Applies the migrations this database lacks, one transaction each, under a lock so instances starting together take turns. */
export async function migratePostgres(db: Kysely<Tables>, migrations: readonly string[] = postgresMigrations()): Promise<void> {
  await db.connection().execute(async (connection) => {
    // Any fixed number: the lock only has to be the same in every instance of this app.
    await sql`SELECT pg_advisory_lock(7342001)`.execute(connection);
    try {
      await sql`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)`.execute(connection);
      const { rows } = await sql<{ version: number | null }>`SELECT max(version) AS version FROM schema_migrations`.execute(connection);
      const current = rows[0]?.version ?? 0;
      if (current > migrations.length) {
        throw new Error(`The database schema (version ${current}) is newer than this app (version ${migrations.length}). Upgrade the app or point DATABASE_URL at another database.`);
      }
      for (let version = current; version < migrations.length; version++) {
        await connection.transaction().execute(async (trx) => {
          await sql.raw(migrations[version]!).execute(trx);
          await sql`INSERT INTO schema_migrations (version, applied_at) VALUES (${version + 1}, ${Date.now()})`.execute(trx);
        });
      }
    } finally {
      await sql`SELECT pg_advisory_unlock(7342001)`.execute(connection);
    }
  });
}
