-- 0003 search (PostgreSQL): the quote-search index, tokenized once at ingest.
-- The arrays are the same little-endian bytes as in SQLite (BYTEA for BLOB).

CREATE TABLE search_vocab (
    id    BIGINT  PRIMARY KEY,
    term  TEXT    NOT NULL UNIQUE
);

CREATE TABLE search_docs (
    transcript_pk  BIGINT  PRIMARY KEY REFERENCES transcripts(pk) ON DELETE CASCADE,
    tokenizer      INTEGER NOT NULL,
    passage_ids    BYTEA   NOT NULL,
    counts         BYTEA   NOT NULL,
    term_ids       BYTEA   NOT NULL,
    tfs            BYTEA   NOT NULL,
    tf_width       INTEGER NOT NULL CHECK (tf_width IN (2, 4))
);
