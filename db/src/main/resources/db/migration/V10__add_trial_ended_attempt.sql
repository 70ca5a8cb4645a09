-- A finished attempt's record is final. ended_attempt is the highest attempt of the trial whose end
-- the controller has recorded (its exit settled: summary, undelivered points, outcome); metric
-- batches and summaries for an attempt at or below it are refused, and counted in late_writes.
-- Trials that were already finished when this column arrived are final at their current attempt.
ALTER TABLE trials ADD COLUMN ended_attempt INTEGER NOT NULL DEFAULT 0 CHECK (ended_attempt >= 0);
ALTER TABLE trials ADD COLUMN late_writes BIGINT NOT NULL DEFAULT 0 CHECK (late_writes >= 0);

UPDATE trials SET ended_attempt = attempt WHERE state NOT IN ('Pending', 'Running');
