-- 0001 core: transcripts, their turns and passages.
-- Applied inside one transaction by briefs.store._sqlite (no BEGIN/COMMIT here).

CREATE TABLE transcripts (
    pk             INTEGER PRIMARY KEY,
    id             TEXT    NOT NULL UNIQUE,            -- readable slug, stable
    seq            INTEGER NOT NULL UNIQUE,            -- ingest sequence, strictly increasing
    title          TEXT    NOT NULL,
    date           TEXT,                               -- ISO YYYY-MM-DD, if known
    format         TEXT    NOT NULL,
    source         TEXT    NOT NULL,                   -- as the reader named it
    source_key     TEXT    NOT NULL,                   -- resolved path or uploaded name
    revision       INTEGER NOT NULL DEFAULT 1,
    supersedes_pk  INTEGER REFERENCES transcripts(pk),
    current        INTEGER NOT NULL DEFAULT 1 CHECK (current IN (0, 1)),
    content_hash   TEXT    NOT NULL UNIQUE,            -- sha256 of text
    text           TEXT    NOT NULL,                   -- the canonical text; all offsets point here
    speakers       TEXT    NOT NULL DEFAULT '{}',      -- JSON object name -> role, in order
    metadata       TEXT    NOT NULL DEFAULT '{}',      -- JSON object
    source_summary TEXT,
    warnings       TEXT    NOT NULL DEFAULT '[]',      -- JSON array of str
    turn_count     INTEGER NOT NULL,
    word_count     INTEGER NOT NULL,
    ingested_at    TEXT    NOT NULL                    -- ISO 8601 UTC
);

CREATE INDEX transcripts_by_source ON transcripts (source_key, revision);
CREATE INDEX transcripts_current_seq ON transcripts (current, seq);

-- A turn's text is transcripts.text[start:end]; it is not stored twice.
CREATE TABLE turns (
    transcript_pk INTEGER NOT NULL REFERENCES transcripts(pk) ON DELETE CASCADE,
    idx           INTEGER NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('speech', 'note', 'heading')),
    speaker       TEXT,
    start         INTEGER NOT NULL,
    "end"         INTEGER NOT NULL,
    time_start    REAL,
    time_end      REAL,
    PRIMARY KEY (transcript_pk, idx)
) WITHOUT ROWID;

-- passages.id is the global, stable passage id (quotes and the search index use it).
CREATE TABLE passages (
    id            INTEGER PRIMARY KEY,
    transcript_pk INTEGER NOT NULL REFERENCES transcripts(pk) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,
    turn_index    INTEGER NOT NULL,
    speaker       TEXT    NOT NULL,
    start         INTEGER NOT NULL,
    "end"         INTEGER NOT NULL,
    time          REAL,
    UNIQUE (transcript_pk, seq)
);
