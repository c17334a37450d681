package dev.ferry.orchestrator.internal;

import dev.ferry.schemas.WorkflowKey;
import dev.ferry.schemas.avro.HostedWorkflow;
import dev.ferry.schemas.avro.WorkerPresence;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which worker groups are present and what they host, read from the global store that mirrors the
 * workers topic. The store holds one small record per worker, so it is re-read as a whole: at most
 * once per {@link #REFRESH_MS} while lookups succeed, and at once (bounded) when a lookup finds no
 * group, so a group that has just started is used without waiting for the next refresh.
 */
final class WorkerDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerDirectory.class);

  /** How stale the view may get while every lookup finds a group. */
  static final long REFRESH_MS = 1_000;

  /** The least time between two re-reads caused by lookups that found no group. */
  static final long MISS_REFRESH_MS = 100;

  private final ReadOnlyKeyValueStore<String, byte[]> store;
  private final Deserializer<WorkerPresence> values;
  private final String topic;
  private Map<String, Map<String, Set<String>>> live = Map.of();
  private long readAt;
  private boolean everRead;

  WorkerDirectory(
      ReadOnlyKeyValueStore<String, byte[]> store,
      Deserializer<WorkerPresence> values,
      String topic) {
    this.store = store;
    this.values = values;
    this.topic = topic;
  }

  /**
   * The present groups hosting the workflow, each with the versions its present members host; empty
   * when none is.
   */
  Map<String, Set<String>> hosts(WorkflowKey workflow, long now) {
    if (!everRead || now - readAt >= REFRESH_MS || now < readAt) {
      read(now);
    }
    Map<String, Set<String>> found = live.get(workflow.toString());
    if (found == null && now - readAt >= MISS_REFRESH_MS) {
      read(now);
      found = live.get(workflow.toString());
    }
    return found == null ? Map.of() : found;
  }

  private void read(long now) {
    Map<String, Map<String, Set<String>>> next = new HashMap<>();
    try (KeyValueIterator<String, byte[]> all = store.all()) {
      all.forEachRemaining(
          entry -> {
            WorkerPresence presence = decode(entry.key, entry.value);
            if (presence == null
                || presence.getHeartbeatAt() + presence.getExpiresAfterMs() < now) {
              return; // unreadable, or gone without saying so
            }
            for (HostedWorkflow hosted : presence.getWorkflows()) {
              next.computeIfAbsent(
                      WorkflowKey.of(hosted.getAccount(), hosted.getWorkflow()).toString(),
                      k -> new TreeMap<>())
                  .computeIfAbsent(presence.getGroup(), g -> new TreeSet<>())
                  .add(hosted.getVersionId());
            }
          });
    }
    live = next;
    readAt = now;
    everRead = true;
  }

  private WorkerPresence decode(String key, byte[] raw) {
    try {
      return values.deserialize(topic, raw);
    } catch (RuntimeException e) {
      LOG.warn("skipping unreadable {} record {}: {}", topic, key, e.getMessage());
      return null;
    }
  }
}
