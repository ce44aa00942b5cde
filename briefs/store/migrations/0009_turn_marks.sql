-- 0009 turn marks: where each timed piece of a turn starts.
-- Applied inside one transaction by briefs.store._migrations (no BEGIN/COMMIT here).
-- A turn read from many subtitle cues or ASR segments keeps each piece's start
-- as JSON [[offset, seconds], ...] (offsets into transcripts.text), so a passage
-- deep inside one speaker's long turn carries the time its words were said.
-- NULL: the turn has one time, its time_start.
ALTER TABLE turns ADD COLUMN marks TEXT;
