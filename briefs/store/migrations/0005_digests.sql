-- 0005 digests: subscribers and the digest outbox.
-- Applied inside one transaction by briefs.store._sqlite (no BEGIN/COMMIT here).
-- Times are ISO 8601 UTC strings with a fixed layout (2026-11-26T07:00:00+00:00),
-- so comparing them as text compares them as instants.

CREATE TABLE subscribers (
    chat_id      INTEGER PRIMARY KEY,
    chat_type    TEXT    NOT NULL DEFAULT 'private',   -- private | group | supergroup | channel
    send_time    TEXT    NOT NULL,                     -- local HH:MM
    tz           TEXT    NOT NULL,                     -- IANA zone name
    topics       TEXT    NOT NULL DEFAULT '[]',        -- JSON array of str; [] = everything
    active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),  -- 0: unsubscribed or blocked
    paused       INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
    watermark    INTEGER NOT NULL DEFAULT 0,           -- last ingest seq delivered (or skipped by topics)
    next_due_at  TEXT    NOT NULL,                     -- next scheduled digest, UTC
    last_digest_at TEXT,                               -- when the last digest was delivered, UTC
    inactive_reason TEXT,                              -- 'unsubscribed' | 'blocked: ...'
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
);

-- The scheduler asks "who is due now?" every minute: keep it an index range scan.
CREATE INDEX subscribers_due ON subscribers (next_due_at) WHERE active = 1 AND paused = 0;

-- One row per digest. composed -> sent (some parts accepted) -> delivered, in
-- which last transaction the subscriber's watermark moves to to_seq.
-- 'blocked' closes a row whose chat refused the bot (403); 'cancelled' one whose
-- chat unsubscribed before it went out; 'failed' one Telegram kept refusing as
-- malformed (its transcripts are composed again into the next digest).
CREATE TABLE digest_outbox (
    id          INTEGER PRIMARY KEY,
    chat_id     INTEGER NOT NULL REFERENCES subscribers(chat_id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL DEFAULT 'scheduled' CHECK (kind IN ('scheduled', 'manual')),
    parts       TEXT    NOT NULL,                      -- JSON array of HTML messages, each <= 4096 chars
    buttons     TEXT    NOT NULL DEFAULT '[]',         -- JSON array (per part) of arrays of buttons
    parts_sent  INTEGER NOT NULL DEFAULT 0,            -- parts Telegram has accepted
    from_seq    INTEGER NOT NULL,                      -- exclusive: the watermark when composed
    to_seq      INTEGER NOT NULL,                      -- inclusive: the newest transcript in it
    transcripts INTEGER NOT NULL DEFAULT 0,            -- how many transcripts it covers
    due_at      TEXT    NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'composed'
                CHECK (status IN ('composed', 'sent', 'delivered', 'blocked', 'cancelled', 'failed')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    lease_until TEXT,                                  -- a sender is working on it until then
    lease_owner TEXT,                                  -- which run holds the lease (a random token)
    next_attempt_at TEXT,                              -- after a failed run: not before then
    created_at  TEXT    NOT NULL,
    sent_at     TEXT                                   -- when the last part was accepted
);

-- At most one open digest per chat: a digest is never composed twice, and a
-- retried run resumes the open row instead of writing a new one.
CREATE UNIQUE INDEX digest_outbox_one_open ON digest_outbox (chat_id)
    WHERE status IN ('composed', 'sent');
CREATE INDEX digest_outbox_by_chat ON digest_outbox (chat_id, id);
