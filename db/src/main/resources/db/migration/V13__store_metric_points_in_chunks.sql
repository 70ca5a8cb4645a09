-- Metric points stored by the batch: one row of metric_chunks holds the points of one trial,
-- attempt and metric that arrived in one ingest batch, as parallel arrays sorted by step.
--
-- One row per point cost the database about 16 CPU-seconds per million points at the HTTP
-- ingest's load (a heap tuple, a four-column primary key entry and WAL for each point): more than
-- the server's parsing and the load generator together (docs/benchmarks.md, HTTP ingest under
-- load). A batch of 256 points of 4 metrics is now 4 rows. Readers are unchanged: metric_points
-- is a view that unnests the chunks, with the columns of the table it replaces.
--
-- What the table's primary key guaranteed before (a point repeated by a retried batch is stored
-- once) is kept by ingest, which holds its trial's row lock (FOR NO KEY UPDATE: one ingest per
-- trial at a time) and writes only the points whose steps no chunk of that metric holds yet; the
-- checks below keep every chunk well formed (steps strictly increasing, first_step and last_step
-- its ends, the arrays of one length, values finite, steps and epochs non-negative), and a foreign
-- key, now checked once per chunk instead of once per point, replaces V11's statement triggers.

CREATE FUNCTION metric_steps_increase(steps BIGINT[]) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(bool_and(a < b), true)
      FROM unnest(steps[1:cardinality(steps) - 1], steps[2:cardinality(steps)]) AS u(a, b)
$$;

CREATE TABLE metric_chunks (
    trial_id     BIGINT             NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
    attempt      INTEGER            NOT NULL CHECK (attempt >= 1),
    name         TEXT COLLATE "C"   NOT NULL,
    first_step   BIGINT             NOT NULL CHECK (first_step >= 0),
    last_step    BIGINT             NOT NULL,
    steps        BIGINT[]           NOT NULL,
    epochs       INTEGER[]          NOT NULL,
    point_values DOUBLE PRECISION[] NOT NULL,
    recorded_at  TIMESTAMPTZ[]      NOT NULL,
    PRIMARY KEY (trial_id, attempt, name, first_step),
    CHECK (array_ndims(steps) = 1 AND array_lower(steps, 1) = 1 AND cardinality(steps) >= 1
           AND array_ndims(epochs) = 1 AND array_lower(epochs, 1) = 1
           AND array_ndims(point_values) = 1 AND array_lower(point_values, 1) = 1
           AND array_ndims(recorded_at) = 1 AND array_lower(recorded_at, 1) = 1
           AND cardinality(epochs) = cardinality(steps)
           AND cardinality(point_values) = cardinality(steps)
           AND cardinality(recorded_at) = cardinality(steps)),
    CHECK (first_step = steps[1] AND last_step = steps[cardinality(steps)]
           AND metric_steps_increase(steps)),
    CHECK (0 <= ALL (epochs)),
    CHECK ('NaN'::float8 <> ALL (point_values) AND '-Infinity'::float8 < ALL (point_values)
           AND 'Infinity'::float8 > ALL (point_values)),
    CHECK (array_position(steps, NULL) IS NULL AND array_position(epochs, NULL) IS NULL
           AND array_position(point_values, NULL) IS NULL
           AND array_position(recorded_at, NULL) IS NULL)
);

-- the points stored so far, in chunks of at most 1,000 points per trial, attempt and metric
INSERT INTO metric_chunks
       (trial_id, attempt, name, first_step, last_step, steps, epochs, point_values, recorded_at)
SELECT trial_id, attempt, name, min(step), max(step),
       array_agg(step ORDER BY step), array_agg(epoch ORDER BY step),
       array_agg(value ORDER BY step),
       array_agg(recorded_at ORDER BY step)
  FROM (SELECT p.*,
               (row_number() OVER (PARTITION BY trial_id, attempt, name ORDER BY step) - 1) / 1000
                   AS chunk
          FROM metric_points p) numbered
 GROUP BY trial_id, attempt, name, chunk;

DROP TRIGGER trials_delete_metric_points ON trials;
DROP FUNCTION trials_delete_metric_points();
DROP TABLE metric_points;
DROP FUNCTION metric_points_check_trials();

CREATE VIEW metric_points AS
SELECT c.trial_id, c.attempt, c.name, p.step, p.epoch, p.value, p.recorded_at
  FROM metric_chunks c
 CROSS JOIN LATERAL unnest(c.steps, c.epochs, c.point_values, c.recorded_at)
       AS p(step, epoch, value, recorded_at);
