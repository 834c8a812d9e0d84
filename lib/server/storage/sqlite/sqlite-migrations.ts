import "server-only";

/**
 * Schema history. Each entry runs once, in order, inside a transaction; `PRAGMA user_version`
 * records how far a database has come. Never edit a shipped migration: add the next one.
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
];
