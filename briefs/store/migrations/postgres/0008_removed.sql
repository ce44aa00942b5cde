-- 0008 removed (PostgreSQL): what `briefbot remove` took out of the library.
-- The sequences of 0001 never hand out a removed pk or seq again.

CREATE TABLE removed_transcripts (
    pk          BIGINT  PRIMARY KEY,
    id          TEXT    NOT NULL UNIQUE,
    seq         BIGINT  NOT NULL,
    title       TEXT    NOT NULL,
    source_key  TEXT    NOT NULL,
    revision    BIGINT  NOT NULL,
    removed_at  TEXT    NOT NULL
);
