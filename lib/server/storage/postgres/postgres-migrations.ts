import "server-only";

/**
 * Postgres's shipped schema history, written in its own SQL before changes were written once for
 * both databases; `schema_migrations` records how far a database has come. Version 1 is the
 * schema SQLite reached through its own first five migrations, so both databases end at the same
 * tables. Closed: never edit it or add to it; a new change goes into `SCHEMA_CHANGES` in
 * `sql/schema.ts`, which runs after these.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  /* 1: campaigns, jobs, images, each job's event log, and uploads */ `
  CREATE TABLE campaigns (
    id            TEXT PRIMARY KEY,
    created_at    BIGINT NOT NULL,
    product_name  TEXT NOT NULL,
    brief_json    TEXT NOT NULL
  );
  CREATE TABLE jobs (
    id              TEXT PRIMARY KEY,
    campaign_id     TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    status          TEXT NOT NULL CHECK (status IN ('running','completed','cancelled','interrupted')),
    provider        TEXT NOT NULL,
    model           TEXT NOT NULL,
    format          TEXT NOT NULL,
    width           INTEGER NOT NULL,
    height          INTEGER NOT NULL,
    seed            BIGINT NOT NULL,
    negative_prompt TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    started_at      BIGINT NOT NULL,
    finished_at     BIGINT,
    last_event_id   INTEGER NOT NULL DEFAULT 0,
    design_json     TEXT,
    preset          TEXT,
    logo_id         TEXT,
    product_id      TEXT
  );
  CREATE INDEX jobs_by_created ON jobs (created_at DESC, id DESC);
  CREATE INDEX jobs_by_logo ON jobs (logo_id) WHERE logo_id IS NOT NULL;
  CREATE INDEX jobs_by_product ON jobs (product_id) WHERE product_id IS NOT NULL;
  CREATE INDEX jobs_running ON jobs (status) WHERE status = 'running';
  CREATE TABLE images (
    job_id        TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    idx           INTEGER NOT NULL,
    prompt        TEXT NOT NULL,
    seed          BIGINT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('pending','done','failed','cancelled','interrupted')),
    file_id       TEXT,
    composite_id  TEXT,
    thumb_id      TEXT,
    layout        TEXT,
    route         TEXT,
    source_width  INTEGER,
    source_height INTEGER,
    mime_type     TEXT,
    bytes         BIGINT,
    width         INTEGER,
    height        INTEGER,
    elapsed_ms    BIGINT,
    error_code    TEXT,
    error_message TEXT,
    updated_at    BIGINT NOT NULL,
    PRIMARY KEY (job_id, idx)
  );
  CREATE UNIQUE INDEX images_by_file ON images (file_id) WHERE file_id IS NOT NULL;
  CREATE INDEX images_by_composite ON images (composite_id) WHERE composite_id IS NOT NULL;
  CREATE TABLE job_events (
    job_id  TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    id      INTEGER NOT NULL,
    event   TEXT NOT NULL,
    data    TEXT NOT NULL,
    PRIMARY KEY (job_id, id)
  );
  CREATE TABLE uploads (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('logo','product')),
    created_at  BIGINT NOT NULL
  );
  `,
  /* 2: which run of a job is current, so work queued for an earlier run is known stale */ `
  ALTER TABLE jobs ADD COLUMN run INTEGER NOT NULL DEFAULT 1;
  `,
  /* 3: accounts and workspaces (SQLite's 7): better-auth's tables as its schema generator makes
     them for Postgres, and the workspace each job and upload belongs to */ `
  CREATE TABLE "user" ("id" TEXT NOT NULL PRIMARY KEY, "name" TEXT NOT NULL, "email" TEXT NOT NULL UNIQUE, "emailVerified" BOOLEAN NOT NULL, "image" TEXT, "createdAt" TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP NOT NULL, "updatedAt" TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP NOT NULL);
  CREATE TABLE "session" ("id" TEXT NOT NULL PRIMARY KEY, "expiresAt" TIMESTAMPTZ NOT NULL, "token" TEXT NOT NULL UNIQUE, "createdAt" TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP NOT NULL, "updatedAt" TIMESTAMPTZ NOT NULL, "ipAddress" TEXT, "userAgent" TEXT, "userId" TEXT NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE, "activeOrganizationId" TEXT);
  CREATE TABLE "account" ("id" TEXT NOT NULL PRIMARY KEY, "accountId" TEXT NOT NULL, "providerId" TEXT NOT NULL, "userId" TEXT NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE, "accessToken" TEXT, "refreshToken" TEXT, "idToken" TEXT, "accessTokenExpiresAt" TIMESTAMPTZ, "refreshTokenExpiresAt" TIMESTAMPTZ, "scope" TEXT, "password" TEXT, "createdAt" TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP NOT NULL, "updatedAt" TIMESTAMPTZ NOT NULL);
  CREATE TABLE "verification" ("id" TEXT NOT NULL PRIMARY KEY, "identifier" TEXT NOT NULL, "value" TEXT NOT NULL, "expiresAt" TIMESTAMPTZ NOT NULL, "createdAt" TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP NOT NULL, "updatedAt" TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP NOT NULL);
  CREATE TABLE "organization" ("id" TEXT NOT NULL PRIMARY KEY, "name" TEXT NOT NULL, "slug" TEXT NOT NULL UNIQUE, "logo" TEXT, "createdAt" TIMESTAMPTZ NOT NULL, "metadata" TEXT);
  CREATE TABLE "member" ("id" TEXT NOT NULL PRIMARY KEY, "organizationId" TEXT NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE, "userId" TEXT NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE, "role" TEXT NOT NULL, "createdAt" TIMESTAMPTZ NOT NULL);
  CREATE TABLE "invitation" ("id" TEXT NOT NULL PRIMARY KEY, "organizationId" TEXT NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE, "email" TEXT NOT NULL, "role" TEXT, "status" TEXT NOT NULL, "expiresAt" TIMESTAMPTZ NOT NULL, "createdAt" TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP NOT NULL, "inviterId" TEXT NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE);
  CREATE TABLE "rateLimit" ("id" TEXT NOT NULL PRIMARY KEY, "key" TEXT NOT NULL UNIQUE, "count" INTEGER NOT NULL, "lastRequest" BIGINT NOT NULL);
  CREATE INDEX "session_userId_idx" ON "session" ("userId");
  CREATE INDEX "account_userId_idx" ON "account" ("userId");
  CREATE INDEX "verification_identifier_idx" ON "verification" ("identifier");
  CREATE INDEX "member_organizationId_idx" ON "member" ("organizationId");
  CREATE INDEX "member_userId_idx" ON "member" ("userId");
  CREATE INDEX "invitation_organizationId_idx" ON "invitation" ("organizationId");
  CREATE INDEX "invitation_email_idx" ON "invitation" ("email");
  ALTER TABLE jobs ADD COLUMN workspace_id TEXT NOT NULL DEFAULT 'local';
  ALTER TABLE uploads ADD COLUMN workspace_id TEXT NOT NULL DEFAULT 'local';
  CREATE INDEX jobs_by_workspace ON jobs (workspace_id, created_at DESC, id DESC);
  CREATE INDEX images_by_thumb ON images (thumb_id) WHERE thumb_id IS NOT NULL;
  `,
  /* 4: personal API tokens for scripts (SQLite's 8) */ `
  CREATE TABLE api_tokens (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE,
    user_id       TEXT NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE,
    name          TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    prefix        TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    last_used_at  BIGINT,
    revoked_at    BIGINT
  );
  CREATE INDEX api_tokens_by_owner ON api_tokens (user_id, workspace_id);
  `,
  /* 5: what each creative of a variant set tests, with its own copy (SQLite's 9) */ `
  ALTER TABLE images ADD COLUMN variant_json TEXT;
  `,
  /* 6 (SQLite's 10): brand kits, one per client, with the brief last used with them (#22) */ `
  CREATE TABLE brand_kits (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL,
    name          TEXT NOT NULL,
    kit_json      TEXT NOT NULL,
    logo_id       TEXT,
    product_id    TEXT,
    updated_at    BIGINT NOT NULL,
    UNIQUE (workspace_id, name)
  );
  `,
  /* 7 (SQLite's 11): the model that made each picture, when another than the job's (#22) */ `
  ALTER TABLE images ADD COLUMN model TEXT;
  `,
];
