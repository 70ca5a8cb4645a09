-- metric_points' reference to its trial, checked once per statement instead of once per row.
--
-- A foreign key runs its check (a lookup of the trial and a KEY SHARE lock) for every inserted
-- row: ingest inserts a batch of a few hundred points of one trial per statement, and dropping the
-- check cut the database's CPU per point by about a quarter in one measured run at 25,600 points/s
-- (docs/benchmarks.md, HTTP ingest under load). The statement
-- triggers below keep the same guarantees with one check per statement:
--   * every point's trial exists: the trials named by the statement's new rows are locked FOR KEY
--     SHARE (as the foreign key would: a concurrent delete of such a trial waits for this
--     transaction, and a trial deleted first is missing) and a missing one refuses the statement
--     with SQLSTATE 23503 (foreign_key_violation), as before;
--   * deleting trials (directly, or by the cascade from sweeps and cells) deletes their points.
-- trials.id is never updated (a generated key); a trigger refuses it where points refer to it.

ALTER TABLE metric_points DROP CONSTRAINT metric_points_trial_id_fkey;

CREATE FUNCTION metric_points_check_trials() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    missing BIGINT;
BEGIN
    -- first the lock: a trial deleted while this statement waited for it is missing afterwards
    PERFORM 1 FROM trials WHERE id IN (SELECT DISTINCT trial_id FROM new_points) FOR KEY SHARE;
    SELECT n.trial_id INTO missing
      FROM (SELECT DISTINCT trial_id FROM new_points) n
     WHERE NOT EXISTS (SELECT 1 FROM trials t WHERE t.id = n.trial_id)
     LIMIT 1;
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'insert or update on table "metric_points" violates its trial reference'
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = format('Key (trial_id)=(%s) is not present in table "trials".', missing),
                  TABLE = 'metric_points', COLUMN = 'trial_id';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER metric_points_trial_exists_on_insert
    AFTER INSERT ON metric_points
    REFERENCING NEW TABLE AS new_points
    FOR EACH STATEMENT EXECUTE FUNCTION metric_points_check_trials();

CREATE TRIGGER metric_points_trial_exists_on_update
    AFTER UPDATE ON metric_points
    REFERENCING NEW TABLE AS new_points
    FOR EACH STATEMENT EXECUTE FUNCTION metric_points_check_trials();

CREATE FUNCTION trials_delete_metric_points() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM metric_points WHERE trial_id IN (SELECT id FROM old_trials);
    RETURN NULL;
END
$$;

CREATE TRIGGER trials_delete_metric_points
    AFTER DELETE ON trials
    REFERENCING OLD TABLE AS old_trials
    FOR EACH STATEMENT EXECUTE FUNCTION trials_delete_metric_points();

CREATE FUNCTION trials_keep_id() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id <> OLD.id THEN
        RAISE EXCEPTION 'trials.id is a generated key and is never changed'
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER trials_keep_id
    BEFORE UPDATE OF id ON trials
    FOR EACH ROW EXECUTE FUNCTION trials_keep_id();
