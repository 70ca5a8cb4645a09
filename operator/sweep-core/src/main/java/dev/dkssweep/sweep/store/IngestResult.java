package dev.dkssweep.sweep.store;

/** How many points of a batch were new, and how many were already stored. */
public record IngestResult(int inserted, int duplicates) {}
