-- Kubernetes-style events of a sweep or one of its trials, kept after the cluster's own expire.
CREATE TABLE events (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sweep_id    BIGINT      NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
    trial_id    BIGINT      REFERENCES trials (id) ON DELETE CASCADE,
    occurred_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    type        TEXT        NOT NULL CHECK (type IN ('Normal', 'Warning')),
    reason      TEXT        NOT NULL,
    message     TEXT        NOT NULL
);

CREATE INDEX events_sweep_time ON events (sweep_id, occurred_at DESC);
CREATE INDEX events_trial_time ON events (trial_id, occurred_at DESC) WHERE trial_id IS NOT NULL;
