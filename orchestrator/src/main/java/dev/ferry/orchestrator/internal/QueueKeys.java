package dev.ferry.orchestrator.internal;

/**
 * Keys of the admission queue: workflow, priority (woken before new), queue time and instance key,
 * so a prefix scan of a workflow yields the instance to start next first.
 */
public final class QueueKeys {
  private QueueKeys() {}

  public static String key(String workflow, int priority, long queuedAt, String instanceKey) {
    return prefix(workflow) + priority + "#" + String.format("%015d", queuedAt) + "#" + instanceKey;
  }

  public static String prefix(String workflow) {
    return workflow + "#";
  }
}
