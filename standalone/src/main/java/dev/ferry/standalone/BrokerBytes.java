package dev.ferry.standalone;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Bytes the stack's embedded broker has taken in, by topic: its own {@code BytesInPerSec} meters,
 * read over JMX in this JVM. Record batches as producers sent them (headers and batch overhead
 * included), changelogs and internal topics too; transaction markers are not counted.
 */
final class BrokerBytes {
  private BrokerBytes() {}

  /** The running total of bytes in of every topic that has taken any. */
  static Map<String, Long> byTopic() {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    Map<String, Long> bytes = new TreeMap<>();
    try {
      for (ObjectName name :
          server.queryNames(
              new ObjectName("kafka.server:type=BrokerTopicMetrics,name=BytesInPerSec,topic=*"),
              null)) {
        bytes.put(name.getKeyProperty("topic"), (Long) server.getAttribute(name, "Count"));
      }
    } catch (javax.management.JMException e) {
      throw new IllegalStateException("reading the broker's BytesInPerSec meters", e);
    }
    if (bytes.isEmpty()) {
      throw new IllegalStateException("no BytesInPerSec meter: is the broker in this JVM?");
    }
    return bytes;
  }

  /** What each topic took in between two readings of {@link #byTopic}, largest first. */
  static Map<String, Long> since(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> delta = new java.util.LinkedHashMap<>();
    after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> delta.put(e.getKey(), e.getValue()));
    return delta;
  }
}
