-- How a trial's attempt failed, as a code instead of a prefix of failure_reason: Error,
-- InvalidSpec (the trainer refused its spec: never retried), Diverged, OutOfMemory, Killed,
-- DeadlineExceeded, LaunchFailed. NULL while the trial has not failed; cleared when an attempt
-- starts, like failure_reason. Trials recorded before this column get it from their reason.
ALTER TABLE trials ADD COLUMN failure_kind TEXT
    CHECK (failure_kind IN ('Error', 'InvalidSpec', 'Diverged', 'OutOfMemory', 'Killed',
                            'DeadlineExceeded', 'LaunchFailed'));

UPDATE trials
   SET failure_kind = CASE
           WHEN failure_reason LIKE 'invalid trial spec: %' THEN 'InvalidSpec'
           WHEN failure_reason LIKE 'could not start: %' THEN 'LaunchFailed'
           ELSE 'Error' END
 WHERE state = 'Failed';

UPDATE trials SET failure_kind = 'Diverged' WHERE state = 'Diverged';
