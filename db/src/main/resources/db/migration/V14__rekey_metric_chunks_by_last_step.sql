-- metric_chunks keyed by a chunk's last step instead of its first.
--
-- Ingest looks for the stored chunks of a metric whose step range overlaps its batch's
-- (first_step <= batch's last AND last_step >= batch's first). Keyed by first_step, the index
-- bounds only the first condition, so each batch walked every earlier chunk of the metric: a cost
-- that grows with the training's length (a million points of 4 metrics in batches of 256 is
-- ~3,900 chunks per metric). Keyed by last_step, the index range holds only the chunks ending
-- at or after the batch's first step: none but a retried batch's. Steps are unique within a
-- trial, attempt and metric, so the last step identifies a chunk as well as the first did.

ALTER TABLE metric_chunks
    DROP CONSTRAINT metric_chunks_pkey,
    ADD CONSTRAINT metric_chunks_pkey PRIMARY KEY (trial_id, attempt, name, last_step);
