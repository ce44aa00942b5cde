-- 0006 feeds and inbox: podcast feeds to poll, the episodes already handled,
-- and the inbox files already handled (so nothing is ingested twice).
-- Applied inside one transaction by briefs.store._sqlite (no BEGIN/COMMIT here).
-- Times are ISO 8601 UTC strings (2026-11-26T07:00:00Z).

CREATE TABLE feeds (
    id             INTEGER PRIMARY KEY,
    url            TEXT    NOT NULL UNIQUE,
    title          TEXT    NOT NULL DEFAULT '',
    added_at       TEXT    NOT NULL,
    last_polled_at TEXT,
    last_ok_at     TEXT,
    last_error     TEXT,                      -- one line; NULL after a good poll
    etag           TEXT,                      -- for conditional GET (304: nothing new)
    last_modified  TEXT
);

-- One row per episode whose transcript was fetched: ingested (added, duplicate or
-- revised) rows are never fetched again; failed ones are retried until
-- attempts reaches the limit in briefs.sources._feeds.
CREATE TABLE feed_episodes (
    feed_id        INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    guid           TEXT    NOT NULL,
    title          TEXT    NOT NULL DEFAULT '',
    transcript_url TEXT    NOT NULL,
    status         TEXT    NOT NULL CHECK (status IN ('ingested', 'failed')),
    transcript_id  TEXT,
    message        TEXT    NOT NULL DEFAULT '',
    attempts       INTEGER NOT NULL DEFAULT 1,
    seen_at        TEXT    NOT NULL,
    PRIMARY KEY (feed_id, guid)
);

-- Inbox files handled, keyed by name, size and modification time: a file that
-- could not be moved to done/ or failed/ is still never ingested twice.
CREATE TABLE inbox_files (
    key            TEXT    PRIMARY KEY,       -- "<absolute path>|<size>|<mtime_ns>"
    path           TEXT    NOT NULL,
    status         TEXT    NOT NULL,          -- added | duplicate | revised | failed
    transcript_id  TEXT,
    message        TEXT    NOT NULL DEFAULT '',
    moved_to       TEXT,
    processed_at   TEXT    NOT NULL
);
