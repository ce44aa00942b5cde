-- 0003 search: the quote-search index, tokenized once at ingest.
-- Start-up loads these rows into the in-memory BM25 index without re-tokenizing;
-- `briefbot reindex` rebuilds them from the transcripts.

-- Term ids are dense and shared with the in-memory index (same ids).
CREATE TABLE search_vocab (
    id    INTEGER PRIMARY KEY,
    term  TEXT    NOT NULL UNIQUE
);

-- One row per indexed transcript: its passages as (term id, tf) pairs.
-- Little-endian arrays: passage_ids int64 (one per passage), counts int32
-- (distinct terms per passage), term_ids int32 and tfs uint16/uint32 (tf_width
-- bytes) holding counts[i] pairs per passage, in passage order.
CREATE TABLE search_docs (
    transcript_pk  INTEGER PRIMARY KEY REFERENCES transcripts(pk) ON DELETE CASCADE,
    tokenizer      INTEGER NOT NULL,      -- briefs.search._quotes.TOKENIZER_VERSION when written
    passage_ids    BLOB    NOT NULL,
    counts         BLOB    NOT NULL,
    term_ids       BLOB    NOT NULL,
    tfs            BLOB    NOT NULL,
    tf_width       INTEGER NOT NULL CHECK (tf_width IN (2, 4))
);
