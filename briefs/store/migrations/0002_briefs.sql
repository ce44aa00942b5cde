-- 0002 briefs: one pre-built brief per transcript, as JSON (briefs.brief._model.Brief.to_json).
-- engine/engine_version record what built it, so `briefbot rebuild` finds stale ones.

CREATE TABLE briefs (
    transcript_pk  INTEGER PRIMARY KEY REFERENCES transcripts(pk) ON DELETE CASCADE,
    engine         TEXT    NOT NULL,
    engine_version TEXT    NOT NULL,
    built_at       TEXT    NOT NULL,                   -- ISO 8601 UTC
    json           TEXT    NOT NULL
);
