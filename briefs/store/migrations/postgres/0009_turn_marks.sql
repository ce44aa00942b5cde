-- 0009 turn marks (PostgreSQL): where each timed piece of a turn starts, as JSON text.

ALTER TABLE turns ADD COLUMN marks TEXT;
