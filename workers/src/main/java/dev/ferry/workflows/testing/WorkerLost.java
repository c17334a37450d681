package dev.ferry.workflows.testing;

/**
 * Thrown by a step attempt that {@link WorkflowTester#loseWorkerDuring} makes die with its worker;
 * the test kit drops what the activation reported from that attempt on, as a dead worker's reports
 * never arrive.
 */
final class WorkerLost extends Error {
  WorkerLost() {
    super("the worker was lost during this attempt", null, false, false);
  }
}
