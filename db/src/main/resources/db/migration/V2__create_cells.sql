-- A cell is one point of the sweep's space (method, activation, architecture, depth, width, learning
-- rate, dataset); its trials differ only by seed. The kernel preflight stores the transform and the
-- kernel diagnostics of dks-core here, or marks the cell infeasible with the solver's reason.
CREATE TABLE cells (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sweep_id          BIGINT           NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
    cell_index        INTEGER          NOT NULL CHECK (cell_index >= 0),
    method            TEXT             NOT NULL,
    activation        TEXT             NOT NULL,
    architecture      TEXT             NOT NULL,
    depth             INTEGER          NOT NULL CHECK (depth >= 1),
    width             INTEGER          NOT NULL CHECK (width >= 1),
    learning_rate     DOUBLE PRECISION NOT NULL CHECK (learning_rate > 0 AND learning_rate < 'Infinity'::float8),
    dataset           TEXT             NOT NULL,
    feasible          BOOLEAN          NOT NULL DEFAULT TRUE,
    infeasible_reason TEXT,
    transform         JSONB,
    diagnostics       JSONB,
    UNIQUE (sweep_id, cell_index),
    -- lets trials reference (cell, sweep) so that a trial's cell is always in the trial's sweep
    UNIQUE (id, sweep_id),
    CHECK (feasible OR infeasible_reason IS NOT NULL)
);

-- heatmaps and the paper table slice a sweep's cells by these axes
CREATE INDEX cells_sweep_axes ON cells (sweep_id, method, activation, depth, learning_rate);
