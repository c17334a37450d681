package dev.ferry.orchestrator.internal;

/**
 * Keys of the buffered-events store: instance key, event type and a zero-padded sequence, so the
 * events of one type for one instance are a prefix range, oldest first.
 */
public final class EventKeys {
  private EventKeys() {}

  public static String key(String instanceKey, String type, long sequence) {
    return prefix(instanceKey, type) + String.format("%012d", sequence);
  }

  public static String prefix(String instanceKey, String type) {
    return instanceKey + "#" + type + "#";
  }
}
