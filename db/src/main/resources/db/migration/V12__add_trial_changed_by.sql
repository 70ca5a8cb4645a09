-- Which transaction last wrote each trial row, so a controller can read only the trials written
-- since its previous read instead of every trial of the sweep each round (a 10,000-trial sweep's
-- full read took about 70 ms a round: docs/benchmarks.md, operator scale).
--
-- changed_by is the writing transaction's 64-bit id (pg_current_xact_id(), PostgreSQL 13 and
-- later), set by a trigger on every insert and update, whatever statement writes (the controller's
-- transitions, ingest's point counts and summaries). A reader takes
-- pg_snapshot_xmin(pg_current_snapshot()) before it reads: every transaction below that id had
-- ended by then, so its writes are in that read; the next read asks only for rows with
-- changed_by at or above it. No lock and no counter row is shared between writers.
-- Rows written before this migration carry 0 and are seen by a reader's first, complete read.

ALTER TABLE trials ADD COLUMN changed_by xid8 NOT NULL DEFAULT '0';

CREATE FUNCTION trials_mark_changed_by() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.changed_by := pg_current_xact_id();
    RETURN NEW;
END
$$;

CREATE TRIGGER trials_changed_by
    BEFORE INSERT OR UPDATE ON trials
    FOR EACH ROW EXECUTE FUNCTION trials_mark_changed_by();

-- what the reader asks for: a sweep's rows at or above a transaction id (a range scan of the few
-- rows written since, not a filter over every trial of the sweep)
CREATE INDEX trials_sweep_changed_by ON trials (sweep_id, changed_by);
