-- 0007 digest sending marks (PostgreSQL): which part of a digest a sender is handing over.
-- IF NOT EXISTS like the SQLite file, so running it again changes nothing.

CREATE TABLE IF NOT EXISTS digest_sending (
    outbox_id  BIGINT  PRIMARY KEY REFERENCES digest_outbox(id) ON DELETE CASCADE,
    part       INTEGER,
    marked_at  TEXT,
    doubted    INTEGER NOT NULL DEFAULT 0
);
