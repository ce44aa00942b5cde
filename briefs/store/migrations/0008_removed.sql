-- 0008 removed: what `briefbot remove` took out of the library.
-- Applied inside one transaction by briefs.store._sqlite (no BEGIN/COMMIT here).
-- A removed transcript's pk, seq and id are never given to a new one: digest
-- watermarks compare seq, a running bot's search index keys on pk, its caches,
-- old buttons and links name the id. So the next pk and seq are the largest
-- of both tables plus one, and a new id never equals a removed one.

CREATE TABLE removed_transcripts (
    pk          INTEGER PRIMARY KEY,          -- transcripts.pk it had
    id          TEXT    NOT NULL UNIQUE,
    seq         INTEGER NOT NULL,
    title       TEXT    NOT NULL,
    source_key  TEXT    NOT NULL,
    revision    INTEGER NOT NULL,             -- so later revisions keep the first one's id as root
    removed_at  TEXT    NOT NULL              -- ISO 8601 UTC
);
