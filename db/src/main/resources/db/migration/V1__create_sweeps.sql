-- One row per Sweep custom resource (or local sweep). The uid is the resource's metadata.uid; a
-- re-created sweep with the same namespace/name is a new row. spec holds the whole sweep spec.
CREATE TABLE sweeps (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uid              TEXT        NOT NULL UNIQUE,
    namespace        TEXT        NOT NULL,
    name             TEXT        NOT NULL,
    generation       BIGINT      NOT NULL DEFAULT 1 CHECK (generation >= 1),
    spec             JSONB       NOT NULL,
    objective_metric TEXT        NOT NULL,
    objective_goal   TEXT        NOT NULL CHECK (objective_goal IN ('maximize', 'minimize')),
    phase            TEXT        NOT NULL DEFAULT 'Pending'
                     CHECK (phase IN ('Pending', 'Running', 'Complete', 'Failed', 'Stopped')),
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at      TIMESTAMPTZ,
    -- optimistic concurrency between operator replicas: every update checks and bumps it
    version          BIGINT      NOT NULL DEFAULT 0
);

CREATE INDEX sweeps_namespace_created ON sweeps (namespace, created_at DESC);
CREATE INDEX sweeps_namespace_name ON sweeps (namespace, name);
