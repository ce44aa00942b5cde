-- 0004 chats: per-chat settings and the short keys behind long callback data.
-- Applied inside one transaction by briefs.store._sqlite (no BEGIN/COMMIT here).

-- One row per chat that changed a setting; a chat with no row uses the defaults.
-- Digests (0005) keep their own tables and reference chat_id.
CREATE TABLE chats (
    chat_id          INTEGER PRIMARY KEY,            -- Telegram chat id (0 for the console)
    chat_type        TEXT    NOT NULL DEFAULT 'private',
    title            TEXT,
    results_per_page INTEGER CHECK (results_per_page BETWEEN 1 AND 10),
    created_at       TEXT    NOT NULL,               -- ISO 8601 UTC
    updated_at       TEXT    NOT NULL
);

-- Telegram caps callback data at 64 bytes; a transcript id or a query that
-- does not fit is replaced by '~' + a hash of it. Keys are derived from the
-- value, so the same value always gets the same key, and they outlive restarts:
-- buttons in old messages keep working.
CREATE TABLE callback_keys (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    created_at TEXT NOT NULL
) WITHOUT ROWID;
