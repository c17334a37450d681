package dev.ferry.orchestrator.internal;

import dev.ferry.engine.InstanceMachine;
import dev.ferry.schemas.WorkflowKey;
import dev.ferry.schemas.avro.InstanceState;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Running instances per workflow in one task, kept in their own store and changed in the same
 * transaction as the instances, so a task starts without reading every instance it ever had
 * (expired ones included). Read from memory; a store written before it existed is counted from the
 * instances once.
 */
final class RunningSlots {
  /** The key saying the store's counts are complete (no workflow has it). */
  private static final String COUNTED = "\u0000counted";

  private final KeyValueStore<String, String> store;
  private final Map<WorkflowKey, Long> counts = new HashMap<>();

  RunningSlots(
      KeyValueStore<String, String> store, KeyValueStore<String, InstanceState> instances) {
    this.store = store;
    if (store.get(COUNTED) == null) {
      try (KeyValueIterator<String, InstanceState> all = instances.all()) {
        all.forEachRemaining(
            entry -> {
              if (InstanceMachine.holdsSlot(entry.value)) {
                counts.merge(
                    WorkflowKey.of(entry.value.getAccount(), entry.value.getWorkflow()),
                    1L,
                    Long::sum);
              }
            });
      }
      counts.forEach((workflow, count) -> store.put(workflow.toString(), "" + count));
      store.put(COUNTED, "1");
      return;
    }
    try (KeyValueIterator<String, String> all = store.all()) {
      all.forEachRemaining(
          entry -> {
            if (!entry.key.equals(COUNTED)) {
              counts.put(WorkflowKey.parse(entry.key), Long.parseLong(entry.value));
            }
          });
    }
  }

  long running(WorkflowKey workflow) {
    return counts.getOrDefault(workflow, 0L);
  }

  void change(WorkflowKey workflow, int delta) {
    long now = counts.merge(workflow, (long) delta, Long::sum);
    if (now <= 0) {
      counts.remove(workflow);
      store.delete(workflow.toString());
    } else {
      store.put(workflow.toString(), Long.toString(now));
    }
  }
}
