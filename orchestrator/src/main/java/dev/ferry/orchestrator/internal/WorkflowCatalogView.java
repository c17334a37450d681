package dev.ferry.orchestrator.internal;

import dev.ferry.schemas.WorkflowKey;
import dev.ferry.schemas.WorkflowVisibility;
import dev.ferry.schemas.avro.WorkflowDefinition;
import dev.ferry.schemas.avro.WorkflowVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers "does this workflow exist, with which settings and newest build?" from the global stores
 * of definitions and versions.
 */
final class WorkflowCatalogView {
  private static final Logger LOG = LoggerFactory.getLogger(WorkflowCatalogView.class);

  private final ReadOnlyKeyValueStore<String, byte[]> definitions;
  private final ReadOnlyKeyValueStore<String, byte[]> versions;
  private final Deserializer<WorkflowDefinition> definitionValues;
  private final Deserializer<WorkflowVersion> versionValues;
  private final String definitionsTopic;
  private final String versionsTopic;

  WorkflowCatalogView(
      ReadOnlyKeyValueStore<String, byte[]> definitions,
      ReadOnlyKeyValueStore<String, byte[]> versions,
      Deserializer<WorkflowDefinition> definitionValues,
      Deserializer<WorkflowVersion> versionValues,
      String definitionsTopic,
      String versionsTopic) {
    this.definitions = definitions;
    this.versions = versions;
    this.definitionValues = definitionValues;
    this.versionValues = versionValues;
    this.definitionsTopic = definitionsTopic;
    this.versionsTopic = versionsTopic;
  }

  /** What the catalogue knows of a workflow: whether it exists, its settings, its newest build. */
  record Known(boolean exists, WorkflowDefinition definition, String newestVersion) {}

  /** Lookups that found the workflow are reused this long (misses are never kept). */
  static final long CACHE_MS = 1_000;

  private final Map<WorkflowKey, Cached> cache = new HashMap<>();

  private record Cached(Known known, long readAt) {}

  /**
   * The workflow as the global stores have it. A workflow found is remembered for {@link
   * #CACHE_MS}, so a busy workflow's creates do not decode its catalogue records each time; one not
   * found is looked up again on the next create (it may be registering right now).
   */
  Known lookup(String account, String workflow, long now) {
    WorkflowKey key = WorkflowKey.of(account, workflow);
    Cached cached = cache.get(key);
    if (cached != null && now - cached.readAt() < CACHE_MS && now >= cached.readAt()) {
      return cached.known();
    }
    Known known = read(key);
    if (known.exists()) {
      cache.put(key, new Cached(known, now));
    } else {
      cache.remove(key);
    }
    return known;
  }

  private Known read(WorkflowKey key) {
    WorkflowDefinition definition = null;
    byte[] raw = definitions.get(key.toString());
    if (raw != null) {
      definition = decode(definitionValues, definitionsTopic, key.toString(), raw);
    }
    List<WorkflowVersion> registered = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it =
        versions.prefixScan(key.childPrefix(), new StringSerializer())) {
      it.forEachRemaining(
          entry -> {
            WorkflowVersion version = decode(versionValues, versionsTopic, entry.key, entry.value);
            if (version != null) {
              registered.add(version);
            }
          });
    }
    List<WorkflowVersion> live = WorkflowVisibility.liveVersions(definition, registered);
    return new Known(
        WorkflowVisibility.exists(definition, registered),
        definition,
        live.isEmpty() ? null : live.get(0).getVersionId());
  }

  private static <T> T decode(Deserializer<T> values, String topic, String key, byte[] raw) {
    try {
      return values.deserialize(topic, raw);
    } catch (RuntimeException e) {
      LOG.warn("skipping unreadable {} record {}: {}", topic, key, e.getMessage());
      return null;
    }
  }
}
