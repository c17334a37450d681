package dev.ferry.orchestrator.internal;

import dev.ferry.schemas.WorkflowKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The instances waiting for a running slot of their workflow, in admission order (woken before new,
 * oldest first: {@link QueueKeys}).
 */
final class AdmissionQueue {
  private final KeyValueStore<String, String> store;

  /** Whether a workflow may have queued instances (absent = unknown, e.g. after a restart). */
  private final Map<WorkflowKey, Boolean> mayHaveQueued = new HashMap<>();

  AdmissionQueue(KeyValueStore<String, String> store) {
    this.store = store;
  }

  void add(WorkflowKey workflow, int priority, long now, String instanceKey) {
    store.put(QueueKeys.key(workflow.toString(), priority, now, instanceKey), instanceKey);
    mayHaveQueued.put(workflow, true);
  }

  /** Takes out the next instance of the workflow to admit, if any is queued. */
  Optional<String> takeNext(WorkflowKey workflow) {
    if (!mayHaveQueued.getOrDefault(workflow, true)) {
      return Optional.empty();
    }
    KeyValue<String, String> next;
    try (KeyValueIterator<String, String> it =
        store.prefixScan(QueueKeys.prefix(workflow.toString()), new StringSerializer())) {
      if (!it.hasNext()) {
        mayHaveQueued.put(workflow, false);
        return Optional.empty();
      }
      next = it.next();
    }
    store.delete(next.key);
    return Optional.of(next.value);
  }
}
