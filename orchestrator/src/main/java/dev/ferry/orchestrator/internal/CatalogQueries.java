package dev.ferry.orchestrator.internal;

import dev.ferry.schemas.Topics;
import dev.ferry.schemas.WorkflowKey;
import java.util.function.Predicate;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Whether the orchestrator's copy of the workflow catalogue (its global stores) has a workflow,
 * asked from beside the stream threads in the same process: the triggers ask it. For one caller
 * thread. False while the stores cannot be read yet (the streams app is starting).
 */
public final class CatalogQueries implements Predicate<WorkflowKey> {
  private final KafkaStreams streams;
  private final Topics topics;
  private final String definitionsStore;
  private final String versionsStore;
  private WorkflowCatalogView view;

  public CatalogQueries(
      KafkaStreams streams, Topics topics, String definitionsStore, String versionsStore) {
    this.streams = streams;
    this.topics = topics;
    this.definitionsStore = definitionsStore;
    this.versionsStore = versionsStore;
  }

  @Override
  public boolean test(WorkflowKey workflow) {
    try {
      if (view == null) {
        view =
            new WorkflowCatalogView(
                store(definitionsStore),
                store(versionsStore),
                topics.serde(Topics.DEFINITIONS).deserializer(),
                topics.serde(Topics.VERSIONS).deserializer(),
                topics.name(Topics.DEFINITIONS),
                topics.name(Topics.VERSIONS));
      }
      return view.lookup(workflow.account(), workflow.workflow(), System.currentTimeMillis())
          .exists();
    } catch (InvalidStateStoreException e) {
      return false;
    }
  }

  private ReadOnlyKeyValueStore<String, byte[]> store(String name) {
    return streams.store(
        StoreQueryParameters.fromNameAndType(
            name, QueryableStoreTypes.<String, byte[]>keyValueStore()));
  }
}
