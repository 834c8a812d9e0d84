import "server-only";
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type Dialect,
} from "kysely";
import { SCHEMA_CHANGES, type SchemaChange } from "./schema";

export type SqlDialectName = "sqlite" | "postgres";

// Compiling needs a dialect's compiler only, never a connection: Kysely's documented way to build
// SQL without running it is a dialect whose driver is the DummyDriver.
const COMPILE_ONLY: Record<SqlDialectName, Dialect> = {
  sqlite: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
  postgres: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
};

/** The changes of `schema.ts` as one SQL script each, in the dialect's own words, for its migration runner. */
export function schemaChangesAsSql(dialect: SqlDialectName, changes: readonly SchemaChange[] = SCHEMA_CHANGES): string[] {
  const schema = new Kysely<unknown>({ dialect: COMPILE_ONLY[dialect] }).schema;
  return changes.map((change) =>
    change
      .statements(schema)
      .map((statement) => {
        const compiled = statement.compile();
        if (compiled.parameters.length > 0) {
          throw new Error(`A schema change ("${change.why}") compiled with parameters; write its values into the statement (sql.lit).`);
        }
        return `${compiled.sql};`;
      })
      .join("\n"),
  );
}
