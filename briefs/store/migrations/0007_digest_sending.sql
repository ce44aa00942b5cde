-- 0007 digest sending marks: which part of a digest a sender is handing to the chat.
-- Applied inside one transaction by briefs.store._sqlite (no BEGIN/COMMIT here). Every
-- statement is IF NOT EXISTS, so running this file again changes nothing.
--
-- Before each request the sender commits "sending part k" here; the commit that
-- records part k as accepted (parts_sent = k) clears it in the same transaction.
-- After a crash, a row whose mark is parts_sent + 1 has a part *in doubt* (the
-- chat may or may not have it); a row without a mark has none: its next part was
-- never requested. A side table rather than new outbox columns, because SQLite
-- has no ADD COLUMN IF NOT EXISTS and this file must be safe to re-run.
CREATE TABLE IF NOT EXISTS digest_sending (
    outbox_id  INTEGER PRIMARY KEY REFERENCES digest_outbox(id) ON DELETE CASCADE,
    part       INTEGER,                     -- 1-based part being requested; NULL: none in flight
    marked_at  TEXT,                        -- when the mark was committed, UTC
    doubted    INTEGER NOT NULL DEFAULT 0   -- parts found in doubt after a crash and sent again
);
