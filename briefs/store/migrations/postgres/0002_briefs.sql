-- 0002 briefs (PostgreSQL): one pre-built brief per transcript, as JSON text.

CREATE TABLE briefs (
    transcript_pk  BIGINT  PRIMARY KEY REFERENCES transcripts(pk) ON DELETE CASCADE,
    engine         TEXT    NOT NULL,
    engine_version TEXT    NOT NULL,
    built_at       TEXT    NOT NULL,
    json           TEXT    NOT NULL
);
