import "server-only";

/**
 * Postgres's schema history, applied in order by `open-postgres.ts`; `schema_migrations` records
 * how far a database has come. Version 1 is the schema SQLite reached through its own first five
 * migrations, so both databases end at the same tables (`sql/tables.ts`). Never edit a shipped
 * migration: add the next one, to both lists when the tables change.
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
];
