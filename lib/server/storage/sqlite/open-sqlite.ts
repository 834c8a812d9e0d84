import "server-only";
import Database from "better-sqlite3";
import { CompiledQuery, Kysely, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver } from "kysely";
import fs from "node:fs";
import path from "node:path";
import type { Tables } from "../sql/schema";
import { schemaChangesAsSql } from "../sql/schema-sql";
import { MIGRATIONS } from "./sqlite-migrations";

type Db = Database.Database;

/** Opens `DATA_DIR/app.db` in WAL mode, brings its schema up to date, and wraps it for the queries. */
export function openSqlite(dataDir: string): Kysely<Tables> {
  return new Kysely<Tables>({ dialect: new WritingSqliteDialect(openDatabase(dataDir)) });
}

/**
 * Kysely's SQLite dialect with two changes for a database that is written to: transactions take
 * the write lock at BEGIN (IMMEDIATE), and a rollback after SQLite already rolled back (a full
 * disk does that) is skipped, so the caller sees SQLITE_FULL rather than "no transaction is active".
 */
class WritingSqliteDialect extends SqliteDialect {
  constructor(private readonly database: Db) {
    super({ database });
  }

  override createDriver(): Driver {
    const database = this.database;
    return new (class extends SqliteDriver {
      override async beginTransaction(connection: DatabaseConnection): Promise<void> {
        await connection.executeQuery(CompiledQuery.raw("begin immediate"));
      }
      override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
        if (database.inTransaction) await super.rollbackTransaction(connection);
      }
    })({ database });
  }
}

function openDatabase(dataDir: string): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(/*turbopackIgnore: true*/ dataDir, "app.db"));
  db.pragma("journal_mode = WAL");
  // NORMAL is durable across process crashes in WAL mode; only a power loss can drop the last commits.
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  migrate(db);
  return db;
}

/** SQLite's shipped history, then the changes written once for both databases (`sql/schema.ts`). */
export function sqliteMigrations(): string[] {
  return [...MIGRATIONS, ...schemaChangesAsSql("sqlite")];
}

export function migrate(db: Db, migrations: readonly string[] = sqliteMigrations()): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(`The database schema (version ${current}) is newer than this app (version ${migrations.length}). Upgrade the app or use another DATA_DIR.`);
  }
  for (let version = current; version < migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
