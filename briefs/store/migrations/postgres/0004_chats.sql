-- 0004 chats (PostgreSQL): per-chat settings and the short keys behind long callback data.

CREATE TABLE chats (
    chat_id          BIGINT  PRIMARY KEY,
    chat_type        TEXT    NOT NULL DEFAULT 'private',
    title            TEXT,
    results_per_page INTEGER CHECK (results_per_page BETWEEN 1 AND 10),
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
);

CREATE TABLE callback_keys (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    created_at TEXT NOT NULL
);
