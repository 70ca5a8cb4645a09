-- What a runner needs to resume a sweep and to count retries honestly.
-- sweeps.started_at: when the sweep first ran (the deadline counts from it); phase_reason: why it is
-- in its phase (GoalReached, TooManyFailedTrials, Interrupted ...), shown by the dashboard.
-- trials.failed_attempts: attempts that ended Failed or Diverged; retries are bounded by it, not by
-- attempt, which also grows when an interrupted trial is resumed.
ALTER TABLE sweeps ADD COLUMN started_at TIMESTAMPTZ;
ALTER TABLE sweeps ADD COLUMN phase_reason TEXT;
ALTER TABLE trials ADD COLUMN failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0);
