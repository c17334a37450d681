package dev.ferry.orchestrator.internal;

import dev.ferry.schemas.InstanceKey;
import dev.ferry.schemas.WorkflowKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The instances waiting for a worker group that hosts their workflow: instance key → the token of
 * the activation that waits, in a store, with the workflows that have any kept in memory.
 */
final class AwaitingWorker {
  private final KeyValueStore<String, String> store;

  /** Workflows that may have instances waiting (rebuilt from the store on start). */
  private final Set<WorkflowKey> workflows = new HashSet<>();

  AwaitingWorker(KeyValueStore<String, String> store) {
    this.store = store;
    try (KeyValueIterator<String, String> all = store.all()) {
      all.forEachRemaining(entry -> workflows.add(InstanceKey.parse(entry.key).workflowKey()));
    }
  }

  void add(String instanceKey, WorkflowKey workflow, long token) {
    store.put(instanceKey, String.valueOf(token));
    workflows.add(workflow);
  }

  /**
   * Takes out up to {@code budget} waiting instances (key → token) of the workflows {@code hosted}
   * says a group hosts now.
   */
  List<KeyValue<String, Long>> takeHosted(Predicate<WorkflowKey> hosted, int budget) {
    List<KeyValue<String, Long>> taken = new ArrayList<>();
    for (WorkflowKey workflow : List.copyOf(workflows)) {
      if (taken.size() >= budget) {
        break;
      }
      if (!hosted.test(workflow)) {
        continue;
      }
      int before = taken.size();
      try (KeyValueIterator<String, String> it =
          store.prefixScan(workflow.childPrefix(), new StringSerializer())) {
        while (it.hasNext() && taken.size() < budget) {
          KeyValue<String, String> entry = it.next();
          taken.add(KeyValue.pair(entry.key, Long.parseLong(entry.value)));
        }
      }
      if (taken.size() == before) {
        workflows.remove(workflow);
      }
    }
    taken.forEach(entry -> store.delete(entry.key));
    return taken;
  }
}
