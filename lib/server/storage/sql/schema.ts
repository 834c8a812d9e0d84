import "server-only";
import type { Compilable, Generated, Kysely, SchemaModule, Transaction } from "kysely";
import type { AdFormatId } from "@/lib/ad-formats";
import type { ProviderId } from "@/lib/campaign";
import type { BuiltinPresetId, LayoutId } from "@/lib/design";
import type { ImageStatus, JobStatus } from "../job-records";

/**
 * The schema, written once for both databases: the tables' types (every query is written against
 * them) and, below, the changes made to them since each database's shipped history.
 *
 * To add a column: add it to its table here, and append a change to `SCHEMA_CHANGES` that adds it.
 */
export interface Tables {
  campaigns: {
    id: string;
    created_at: number;
    product_name: string;
    brief_json: string;
  };
  jobs: {
    id: string;
    campaign_id: string;
    status: JobStatus;
    provider: ProviderId;
    model: string;
    format: AdFormatId;
    width: number;
    height: number;
    seed: number;
    negative_prompt: string;
    created_at: number;
    started_at: number;
    finished_at: number | null;
    last_event_id: number;
    design_json: string | null;
    preset: BuiltinPresetId | null;
    /** The uploads the design names, as columns so "which uploads are unused" is one portable query. */
    logo_id: string | null;
    product_id: string | null;
    /** Counts the job's runs (the first, then each resume, retry or regenerate). */
    run: Generated<number>;
    /** The workspace (better-auth organization) the job belongs to; 'local' with AUTH=off. */
    workspace_id: Generated<string>;
  };
  images: {
    job_id: string;
    idx: number;
    prompt: string;
    seed: number;
    status: ImageStatus;
    file_id: string | null;
    composite_id: string | null;
    thumb_id: string | null;
    layout: LayoutId | null;
    route: string | null;
    source_width: number | null;
    source_height: number | null;
    mime_type: string | null;
    bytes: number | null;
    width: number | null;
    height: number | null;
    elapsed_ms: number | null;
    error_code: string | null;
    error_message: string | null;
    /** The creative's `CreativeVariant` as JSON; null for jobs made before variant sets. */
    variant_json: string | null;
    /** The model that made the picture (a product scene's editing model may not be the job's); null before #22: the job's. */
    model: Generated<string | null>;
    /** What the provider was asked and did not do, as JSON (its messages); null when it did all, and before #24. */
    warnings_json: Generated<string | null>;
    updated_at: number;
  };
  job_events: {
    job_id: string;
    id: number;
    event: string;
    data: string;
  };
  brand_kits: {
    id: string;
    workspace_id: string;
    name: string;
    /** The kit (brand, colours, uploads, brief) as JSON; the uploads again as columns. */
    kit_json: string;
    logo_id: string | null;
    product_id: string | null;
    updated_at: number;
  };
  uploads: {
    id: string;
    kind: "logo" | "product";
    created_at: number;
    workspace_id: Generated<string>;
  };
  /** better-auth's tables, as far as the app reads them itself (better-auth writes them). */
  user: { id: string; name: string; email: string };
  session: { id: string; userId: string; activeOrganizationId: string | null };
  organization: { id: string; name: string; slug: string; createdAt: Date | string };
  member: { id: string; organizationId: string; userId: string; role: string; createdAt: Date | string };
  api_tokens: {
    id: string;
    workspace_id: string;
    user_id: string;
    name: string;
    /** SHA-256 of the token, hex: the token itself is shown once and kept nowhere. */
    token_hash: string;
    prefix: string;
    created_at: number;
    last_used_at: number | null;
    revoked_at: number | null;
  };
  invitation: { id: string; organizationId: string; email: string; role: string | null; status: string; expiresAt: Date | string; inviterId: string };
}

/** The database, or a transaction on it: what a query helper runs on. */
export type Db = Kysely<Tables> | Transaction<Tables>;

/**
 * One change to the tables, written with Kysely's schema builder so it is compiled to each
 * database's own SQL (`schema-sql.ts`) and applied after that database's shipped history
 * (`sqlite/sqlite-migrations.ts`, `postgres/postgres-migrations.ts`, never edited again). Each
 * change runs once, in order, in one transaction with the version it brings the database to.
 * Never edit a change that has shipped: append the next one.
 */
export type SchemaChange = {
  /** What the change is for, as a reader of the history wants to know it. */
  why: string;
  /** Schema statements only: values are written into the SQL, so none may be a parameter. */
  statements: (schema: SchemaModule) => Compilable[];
};

export const SCHEMA_CHANGES: readonly SchemaChange[] = [
  {
    why: "what the provider was asked and did not do for each picture (no seed taken, no negative prompt), kept through edits (#24)",
    statements: (schema) => [schema.alterTable("images").addColumn("warnings_json", "text")],
  },
];
