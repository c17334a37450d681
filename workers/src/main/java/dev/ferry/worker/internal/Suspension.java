package dev.ferry.worker.internal;

/**
 * Unwinds the workflow's stack when the activation must stop (a sleep, a retry delay, a newer
 * activation). It is an {@link Error} so that {@code catch (Exception e)} in workflow code does not
 * swallow it.
 */
final class Suspension extends Error {
  Suspension(String reason) {
    super(reason, null, false, false);
  }
}
