-- Every metric point a trainer reported. The primary key makes a repeated batch a no-op (ingest
-- inserts with ON CONFLICT DO NOTHING), so retries after a lost response never duplicate a point.
-- Non-finite values are refused here as well as at ingest (PostgreSQL orders NaN above everything
-- and treats it as equal to itself, so it is excluded explicitly).
CREATE TABLE metric_points (
    trial_id    BIGINT           NOT NULL REFERENCES trials (id) ON DELETE CASCADE,
    attempt     INTEGER          NOT NULL CHECK (attempt >= 1),
    name        TEXT COLLATE "C" NOT NULL,
    step        BIGINT           NOT NULL CHECK (step >= 0),
    epoch       INTEGER          NOT NULL CHECK (epoch >= 0),
    value       DOUBLE PRECISION NOT NULL
                CHECK (value <> 'NaN'::float8 AND value > '-Infinity'::float8 AND value < 'Infinity'::float8),
    recorded_at TIMESTAMPTZ      NOT NULL,
    PRIMARY KEY (trial_id, attempt, name, step)
);
