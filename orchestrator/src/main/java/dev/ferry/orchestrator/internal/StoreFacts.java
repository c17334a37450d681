package dev.ferry.orchestrator.internal;

import dev.ferry.engine.BufferedEvent;
import dev.ferry.engine.Facts;
import dev.ferry.schemas.WorkflowKey;
import dev.ferry.schemas.avro.InstanceEvent;
import dev.ferry.schemas.avro.StepRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** The machine's questions answered from the processor's stores, as of {@code now}. */
final class StoreFacts implements Facts {
  private final KeyValueStore<String, StepRecord> steps;
  private final KeyValueStore<String, InstanceEvent> events;
  private final WorkflowCatalogView catalog;
  private final WorkerDirectory directory;
  private final ToLongFunction<WorkflowKey> running;
  private final long now;

  StoreFacts(
      KeyValueStore<String, StepRecord> steps,
      KeyValueStore<String, InstanceEvent> events,
      WorkflowCatalogView catalog,
      WorkerDirectory directory,
      ToLongFunction<WorkflowKey> running,
      long now) {
    this.steps = steps;
    this.events = events;
    this.catalog = catalog;
    this.directory = directory;
    this.running = running;
    this.now = now;
  }

  @Override
  public StepRecord step(String instanceKey, int position) {
    return steps.get(StepKeys.key(instanceKey, position));
  }

  @Override
  public List<StepRecord> history(String instanceKey) {
    List<StepRecord> found = new ArrayList<>();
    try (KeyValueIterator<String, StepRecord> it =
        steps.prefixScan(StepKeys.prefix(instanceKey), new StringSerializer())) {
      it.forEachRemaining(entry -> found.add(entry.value));
    }
    return found;
  }

  @Override
  public Optional<BufferedEvent> oldestEvent(String instanceKey, String type) {
    try (KeyValueIterator<String, InstanceEvent> it =
        events.prefixScan(EventKeys.prefix(instanceKey, type), new StringSerializer())) {
      if (!it.hasNext()) {
        return Optional.empty();
      }
      KeyValue<String, InstanceEvent> oldest = it.next();
      return Optional.of(new BufferedEvent(oldest.key, oldest.value));
    }
  }

  @Override
  public Workflow workflow(String account, String workflow) {
    WorkflowCatalogView.Known known = catalog.lookup(account, workflow, now);
    return new Workflow(known.exists(), known.definition(), known.newestVersion());
  }

  @Override
  public long running(WorkflowKey workflow) {
    return running.applyAsLong(workflow);
  }

  @Override
  public Map<String, Set<String>> hosts(WorkflowKey workflow) {
    return directory.hosts(workflow, now);
  }
}
