-- 0010 digest compose claims: which sender is composing a due subscriber's digest.
-- Applied inside one transaction by briefs.store._sqlite (no BEGIN/COMMIT here). Every
-- statement is IF NOT EXISTS, so running this file again changes nothing.
--
-- A sender claims a batch of due subscribers here (one short transaction) before
-- composing them, so N senders split the compose work instead of each composing
-- every due digest and all but one throwing theirs away. A claim is a lease:
-- a crashed sender's claims lapse after `claimed_until` and anyone composes them.
-- A side table, like digest_sending (0007): SQLite has no ADD COLUMN IF NOT EXISTS.
CREATE TABLE IF NOT EXISTS digest_composing (
    chat_id        INTEGER PRIMARY KEY REFERENCES subscribers(chat_id) ON DELETE CASCADE,
    owner          TEXT NOT NULL,           -- the claiming run's random token
    claimed_until  TEXT NOT NULL            -- UTC; past it the claim is free
);
