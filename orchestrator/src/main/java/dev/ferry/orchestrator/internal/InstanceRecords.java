package dev.ferry.orchestrator.internal;

import dev.ferry.engine.Effect;
import dev.ferry.schemas.WorkflowIds;
import dev.ferry.schemas.avro.Activation;
import dev.ferry.schemas.avro.InstanceSnapshot;
import dev.ferry.schemas.avro.InstanceState;
import dev.ferry.schemas.avro.InstanceStatusCode;
import dev.ferry.schemas.avro.StepRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records the instance processor sends about an instance, built from its state and stores: the
 * pages of an activation for a worker, and the snapshot for the status topic.
 */
final class InstanceRecords {
  private static final Logger LOG = LoggerFactory.getLogger(InstanceRecords.class);

  private final KeyValueStore<String, StepRecord> steps;
  private final KeyValueStore<String, String> params;
  private final int maxSteps;

  InstanceRecords(
      KeyValueStore<String, StepRecord> steps, KeyValueStore<String, String> params, int maxSteps) {
    this.steps = steps;
    this.params = params;
    this.maxSteps = maxSteps;
  }

  /**
   * The pages of the activation the effect calls for: the entries from its {@code historyFrom} on
   * (all of them when it builds on nothing), after the header.
   */
  List<Activation> activation(String key, InstanceState state, Effect.Activate effect) {
    int size = state.getHistorySize();
    int from = effect.historyFrom();
    List<StepRecord> entries = new ArrayList<>();
    if (from < size) {
      try (KeyValueIterator<String, StepRecord> it =
          steps.range(StepKeys.key(key, from), StepKeys.key(key, size - 1))) {
        it.forEachRemaining(entry -> entries.add(entry.value));
      }
    }
    LOG.debug(
        "activating {} with token {}: {} of {} entries from {}",
        key,
        state.getToken(),
        entries.size(),
        size,
        from);
    Activation header =
        Activation.newBuilder()
            .setAccount(state.getAccount())
            .setWorkflow(state.getWorkflow())
            .setInstanceId(state.getInstanceId())
            .setToken(state.getToken())
            .setGeneration(state.getGeneration())
            .setParams(params.get(key))
            .setCreatedAt(state.getQueuedAt())
            .setTriggerSource(state.getTriggerSource())
            .setSchedule(state.getSchedule())
            .setMaxSteps(state.getMaxSteps() == null ? maxSteps : state.getMaxSteps())
            .setRollback(state.getStatus() == InstanceStatusCode.ROLLING_BACK)
            .setBaseToken(effect.baseToken())
            .setHistoryFrom(from)
            .setHistorySize(size)
            .build();
    return ActivationPages.of(header, entries);
  }

  InstanceSnapshot snapshot(InstanceState state, String key, long now) {
    return InstanceSnapshot.newBuilder()
        .setAccount(state.getAccount())
        .setWorkflow(state.getWorkflow())
        .setInstanceId(state.getInstanceId())
        .setStatus(state.getStatus())
        .setGeneration(state.getGeneration())
        .setParams(params.get(key))
        .setTriggerSource(state.getTriggerSource())
        .setSchedule(state.getSchedule())
        .setQueuedAt(state.getQueuedAt())
        .setStartedAt(state.getStartedAt())
        .setEndedAt(state.getEndedAt())
        .setOutput(state.getOutput())
        .setError(state.getError())
        .setVersionId(
            state.getVersionId() != null
                ? state.getVersionId()
                : WorkflowIds.versionId(state.getAccount(), state.getWorkflow()))
        .setStepCount(state.getStepCount())
        .setUpdatedAt(now)
        .setRollback(state.getRollback())
        .setHistoryEvents(state.getHistoryEvents())
        .setWaitingForWorker(state.getWaitingForWorker())
        .setVersionsRun(state.getVersionsRun())
        .build();
  }
}
