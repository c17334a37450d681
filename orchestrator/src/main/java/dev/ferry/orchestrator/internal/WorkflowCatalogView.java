package dev.ferry.orchestrator.internal;

import dev.ferry.schemas.WorkflowVisibility;
import dev.ferry.schemas.avro.WorkflowDefinition;
import dev.ferry.schemas.avro.WorkflowVersion;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers "does this workflow exist?" from the global stores of definitions and versions. */
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

  boolean exists(String account, String workflow) {
    String key = account + "/" + workflow;
    WorkflowDefinition definition = null;
    byte[] raw = definitions.get(key);
    if (raw != null) {
      definition = decode(definitionValues, definitionsTopic, key, raw);
    }
    List<WorkflowVersion> registered = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it =
        versions.prefixScan(key + "/", new StringSerializer())) {
      it.forEachRemaining(
          entry -> {
            WorkflowVersion version = decode(versionValues, versionsTopic, entry.key, entry.value);
            if (version != null) {
              registered.add(version);
            }
          });
    }
    return WorkflowVisibility.exists(definition, registered);
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
