package dev.ferry.worker.internal;

/**
 * Ends the replay of a terminate-with-rollback activation at the first step that has no recorded
 * outcome: from there on only rollback handlers run. An {@link Error}, like {@link Suspension}.
 */
final class RollbackPoint extends Error {
  RollbackPoint() {
    super("rollback point reached", null, false, false);
  }
}
