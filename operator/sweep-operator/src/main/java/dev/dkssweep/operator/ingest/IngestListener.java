package dev.dkssweep.operator.ingest;

/**
 * Told when the ingest endpoint has recorded a trial's points or summary, so that the sweep's next
 * round (early stopping, completion) does not wait for a resync.
 */
public interface IngestListener {

  void recorded(String sweepUid);
}
