package dev.ferry.gateway.internal;

import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * Whether a saved read model may be resumed, or must be emptied and read again from the topics: it
 * may only when it was saved by a build with the same store format, from the same cluster and the
 * same topics, recently enough that no deletion can have been compacted away meanwhile, and no
 * saved position lies past the end of its partition. A pure decision; {@link InstanceReadModel}
 * gathers the facts.
 */
final class StoreValidity {
  /** Facts saved under these names, besides one per topic ({@link #topicFact}). */
  static final String FORMAT = "format";

  static final String CLUSTER = "cluster";
  static final String WRITTEN_AT = "written-at";

  /** Bump when the layout of {@link StoreKeys} or {@link StoredInstance} changes. */
  static final String FORMAT_VERSION =
      "1:" + StoredInstance.SNAPSHOTS.fingerprint() + ":" + StoredInstance.STEPS.fingerprint();

  /** What is true now: the facts a store saved now would hold, and where the partitions end. */
  record Now(
      Map<String, String> facts,
      Map<TopicPartition, Long> ends,
      long nowMs,
      long deleteRetentionMs) {}

  private StoreValidity() {}

  static String topicFact(String topic) {
    return "topic-id:" + topic;
  }

  /** Why the saved model cannot be resumed, or empty when it can. */
  static Optional<String> whyNotResume(
      Map<String, String> saved, Map<TopicPartition, Long> savedOffsets, Now now) {
    if (saved.isEmpty()) {
      return Optional.of("nothing was saved yet");
    }
    for (Map.Entry<String, String> fact : now.facts().entrySet()) {
      String was = saved.get(fact.getKey());
      if (!fact.getValue().equals(was)) {
        return Optional.of(changed(fact.getKey()));
      }
    }
    long written = Long.parseLong(saved.getOrDefault(WRITTEN_AT, "0"));
    if (now.nowMs() - written > now.deleteRetentionMs()) {
      return Optional.of(
          "it was saved more than delete.retention.ms ("
              + now.deleteRetentionMs()
              + " ms) ago, so deletions may have been compacted away meanwhile");
    }
    for (Map.Entry<TopicPartition, Long> offset : savedOffsets.entrySet()) {
      Long end = now.ends().get(offset.getKey());
      if (end != null && offset.getValue() > end) {
        return Optional.of(
            "its position in " + offset.getKey() + " lies past the partition's end " + end);
      }
    }
    return Optional.empty();
  }

  private static String changed(String fact) {
    if (fact.equals(FORMAT)) {
      return "it was saved by a build that stores instances differently";
    }
    if (fact.equals(CLUSTER)) {
      return "it was saved from another Kafka cluster";
    }
    return "topic " + fact.substring(fact.indexOf(':') + 1) + " was created anew since";
  }
}
