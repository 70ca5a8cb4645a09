-- Per trial, attempt and metric: the latest point and the extremes, upserted by ingest in the same
-- transaction as the points. Curves read metric_points; everything else (final value, best value,
-- progress) reads this table.
CREATE TABLE trial_metric_summaries (
    trial_id    BIGINT           NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
    attempt     INTEGER          NOT NULL CHECK (attempt >= 1),
    name        TEXT COLLATE "C" NOT NULL,
    last_step   BIGINT           NOT NULL,
    last_value  DOUBLE PRECISION NOT NULL,
    min_value   DOUBLE PRECISION NOT NULL,
    max_value   DOUBLE PRECISION NOT NULL,
    point_count BIGINT           NOT NULL CHECK (point_count >= 1),
    PRIMARY KEY (trial_id, attempt, name)
);
