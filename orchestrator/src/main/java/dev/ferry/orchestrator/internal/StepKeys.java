package dev.ferry.orchestrator.internal;

/**
 * Keys of the step-history store: the instance key, '#', and the zero-padded position, so one
 * instance's history is a contiguous prefix range in position order.
 */
public final class StepKeys {
  private StepKeys() {}

  public static String key(String instanceKey, int position) {
    return prefix(instanceKey) + String.format("%08d", position);
  }

  public static String prefix(String instanceKey) {
    return instanceKey + "#";
  }
}
