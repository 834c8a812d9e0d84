import "server-only";

/**
 * SQLite's shipped schema history, written in its own SQL before changes were written once for
 * both databases. Each entry runs once, in order, inside a transaction; `PRAGMA user_version`
 * records how far a database has come. Closed: never edit it or add to it; a new change goes
 * into `SCHEMA_CHANGES` in `sql/schema.ts`, which runs after these.
 */
export const MIGRATIONS: readonly string[] = [
  /* 1: campaigns, jobs, images and each job's event log */ `
  CREATE TABLE campaigns (
    id            TEXT PRIMARY KEY,
    created_at    INTEGER NOT NULL,
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
    seed            INTEGER NOT NULL,
    negative_prompt TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    started_at      INTEGER NOT NULL,
    finished_at     INTEGER,
    last_event_id   INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX jobs_by_created ON jobs (created_at DESC, id DESC);
  CREATE TABLE images (
    job_id        TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    idx           INTEGER NOT NULL,
    prompt        TEXT NOT NULL,
    seed          INTEGER NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('pending','done','failed','cancelled','interrupted')),
    file_id       TEXT,
    thumb_id      TEXT,
    mime_type     TEXT,
    bytes         INTEGER,
    width         INTEGER,
    height        INTEGER,
    elapsed_ms    INTEGER,
    error_code    TEXT,
    error_message TEXT,
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (job_id, idx)
  );
  CREATE UNIQUE INDEX images_by_file ON images (file_id) WHERE file_id IS NOT NULL;
  CREATE TABLE job_events (
    job_id  TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    id      INTEGER NOT NULL,
    event   TEXT NOT NULL,
    data    TEXT NOT NULL,
    PRIMARY KEY (job_id, id)
  ) WITHOUT ROWID;
  `,
  /* 2: brand kit and copy per job, composited creatives kept beside their raw backgrounds */ `
  ALTER TABLE jobs ADD COLUMN design_json TEXT;
  ALTER TABLE jobs ADD COLUMN preset TEXT;
  ALTER TABLE images ADD COLUMN composite_id TEXT;
  ALTER TABLE images ADD COLUMN layout TEXT;
  `,
  /* 3: which route (Inference Provider) made each picture, and the picture's real size */ `
  ALTER TABLE images ADD COLUMN route TEXT;
  ALTER TABLE images ADD COLUMN source_width INTEGER;
  ALTER TABLE images ADD COLUMN source_height INTEGER;
  `,
  /* 4: uploads (logos, product images) as objects of their own, so a design can only name an
     upload of the right kind; the ones existing designs name are registered */ `
  CREATE TABLE uploads (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('logo','product')),
    created_at  INTEGER NOT NULL
  ) WITHOUT ROWID;
  INSERT OR IGNORE INTO uploads (id, kind, created_at)
    SELECT json_extract(design_json, '$.logoId'), 'logo', MIN(created_at) FROM jobs
    WHERE json_extract(design_json, '$.logoId') IS NOT NULL GROUP BY json_extract(design_json, '$.logoId');
  INSERT OR IGNORE INTO uploads (id, kind, created_at)
    SELECT json_extract(design_json, '$.productId'), 'product', MIN(created_at) FROM jobs
    WHERE json_extract(design_json, '$.productId') IS NOT NULL GROUP BY json_extract(design_json, '$.productId');
  `,
  /* 5: the uploads a design names, as columns, so the query for unused uploads is the same in
     SQLite and Postgres */ `
  ALTER TABLE jobs ADD COLUMN logo_id TEXT;
  ALTER TABLE jobs ADD COLUMN product_id TEXT;
  UPDATE jobs SET logo_id = json_extract(design_json, '$.logoId'), product_id = json_extract(design_json, '$.productId') WHERE design_json IS NOT NULL;
  CREATE INDEX jobs_by_logo ON jobs (logo_id) WHERE logo_id IS NOT NULL;
  CREATE INDEX jobs_by_product ON jobs (product_id) WHERE product_id IS NOT NULL;
  `,
  /* 6: which run of a job is current, so work queued for an earlier run is known stale */ `
  ALTER TABLE jobs ADD COLUMN run INTEGER NOT NULL DEFAULT 1;
  `,
  /* 7: accounts and workspaces. The tables are better-auth's (its schema generator's output for
     email and password, the organization plugin and database-kept login throttling); what
     existed belongs to the 'local' workspace, which the first account's workspace takes over. */ `
  CREATE TABLE "user" ("id" TEXT NOT NULL PRIMARY KEY, "name" TEXT NOT NULL, "email" TEXT NOT NULL UNIQUE, "emailVerified" INTEGER NOT NULL, "image" TEXT, "createdAt" DATE NOT NULL, "updatedAt" DATE NOT NULL);
  CREATE TABLE "session" ("id" TEXT NOT NULL PRIMARY KEY, "expiresAt" DATE NOT NULL, "token" TEXT NOT NULL UNIQUE, "createdAt" DATE NOT NULL, "updatedAt" DATE NOT NULL, "ipAddress" TEXT, "userAgent" TEXT, "userId" TEXT NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE, "activeOrganizationId" TEXT);
  CREATE TABLE "account" ("id" TEXT NOT NULL PRIMARY KEY, "accountId" TEXT NOT NULL, "providerId" TEXT NOT NULL, "userId" TEXT NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE, "accessToken" TEXT, "refreshToken" TEXT, "idToken" TEXT, "accessTokenExpiresAt" DATE, "refreshTokenExpiresAt" DATE, "scope" TEXT, "password" TEXT, "createdAt" DATE NOT NULL, "updatedAt" DATE NOT NULL);
  CREATE TABLE "verification" ("id" TEXT NOT NULL PRIMARY KEY, "identifier" TEXT NOT NULL, "value" TEXT NOT NULL, "expiresAt" DATE NOT NULL, "createdAt" DATE NOT NULL, "updatedAt" DATE NOT NULL);
  CREATE TABLE "organization" ("id" TEXT NOT NULL PRIMARY KEY, "name" TEXT NOT NULL, "slug" TEXT NOT NULL UNIQUE, "logo" TEXT, "createdAt" DATE NOT NULL, "metadata" TEXT);
  CREATE TABLE "member" ("id" TEXT NOT NULL PRIMARY KEY, "organizationId" TEXT NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE, "userId" TEXT NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE, "role" TEXT NOT NULL, "createdAt" DATE NOT NULL);
  CREATE TABLE "invitation" ("id" TEXT NOT NULL PRIMARY KEY, "organizationId" TEXT NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE, "email" TEXT NOT NULL, "role" TEXT, "status" TEXT NOT NULL, "expiresAt" DATE NOT NULL, "createdAt" DATE NOT NULL, "inviterId" TEXT NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE);
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
  CREATE INDEX images_by_composite ON images (composite_id) WHERE composite_id IS NOT NULL;
  CREATE INDEX images_by_thumb ON images (thumb_id) WHERE thumb_id IS NOT NULL;
  `,
  /* 8: personal API tokens for scripts: only a SHA-256 of each is kept, with its first
     characters to tell them apart */ `
  CREATE TABLE api_tokens (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES "organization" ("id") ON DELETE CASCADE,
    user_id       TEXT NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE,
    name          TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    prefix        TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER,
    revoked_at    INTEGER
  );
  CREATE INDEX api_tokens_by_owner ON api_tokens (user_id, workspace_id);
  `,
  /* 9: what each creative of a variant set tests, with its own copy (#22) */ `
  ALTER TABLE images ADD COLUMN variant_json TEXT;
  `,
  /* 10: brand kits, one per client, with the brief last used with them (#22) */ `
  CREATE TABLE brand_kits (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL,
    name          TEXT NOT NULL,
    kit_json      TEXT NOT NULL,
    logo_id       TEXT,
    product_id    TEXT,
    updated_at    INTEGER NOT NULL,
    UNIQUE (workspace_id, name)
  );
  `,
  /* 11: the model that made each picture, when another than the job's (a product scene's editing model) (#22) */ `
  ALTER TABLE images ADD COLUMN model TEXT;
  `,
];
