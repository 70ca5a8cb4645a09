-- One row per trial (cell x seed), whatever its attempts. state, attempt and version change under
-- optimistic concurrency; objective, final_metrics, best_metrics, last_step and point_count are
-- maintained at ingest so that dashboard lists never scan metric_points.
CREATE TABLE trials (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sweep_id       BIGINT           NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
    cell_id        BIGINT           NOT NULL,
    trial_index    INTEGER          NOT NULL CHECK (trial_index >= 0),
    seed           BIGINT           NOT NULL,
    state          TEXT             NOT NULL DEFAULT 'Pending'
                   CHECK (state IN ('Pending', 'Running', 'Succeeded', 'Diverged', 'Failed',
                                    'Stopped', 'EarlyStopped', 'Skipped')),
    attempt        INTEGER          NOT NULL DEFAULT 0 CHECK (attempt >= 0),
    version        BIGINT           NOT NULL DEFAULT 0,
    worker         TEXT,
    created_at     TIMESTAMPTZ      NOT NULL DEFAULT now(),
    started_at     TIMESTAMPTZ,
    finished_at    TIMESTAMPTZ,
    objective      DOUBLE PRECISION CHECK (objective <> 'NaN'::float8),
    final_metrics  JSONB,
    best_metrics   JSONB,
    summary        JSONB,
    failure_reason TEXT,
    last_step      BIGINT,
    point_count    BIGINT           NOT NULL DEFAULT 0 CHECK (point_count >= 0),
    UNIQUE (sweep_id, trial_index),
    FOREIGN KEY (cell_id, sweep_id) REFERENCES cells (id, sweep_id) ON DELETE CASCADE
);

CREATE INDEX trials_sweep_state ON trials (sweep_id, state);
CREATE INDEX trials_cell ON trials (cell_id);
CREATE INDEX trials_sweep_objective ON trials (sweep_id, objective);
