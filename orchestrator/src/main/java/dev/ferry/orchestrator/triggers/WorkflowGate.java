package dev.ferry.orchestrator.triggers;

import dev.ferry.schemas.WorkflowKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a trigger's source partitions paused while its workflow is not in the catalogue, so its
 * records wait in their topic instead of becoming creates the orchestrator would refuse (and
 * dead-letter) for an unknown workflow. A partition is paused as it is assigned, before anything is
 * fetched from it, and resumed once the workflow is registered or defined.
 */
final class WorkflowGate implements ConsumerRebalanceListener {
  private static final Logger LOG = LoggerFactory.getLogger(WorkflowGate.class);

  private final Map<String, TriggerSpec> byTopic;
  private final Predicate<WorkflowKey> known;
  private final Set<TopicPartition> paused = new HashSet<>();
  private Consumer<?, ?> consumer;

  WorkflowGate(Map<String, TriggerSpec> byTopic, Predicate<WorkflowKey> known) {
    this.byTopic = byTopic;
    this.known = known;
  }

  void attach(Consumer<?, ?> consumer) {
    this.consumer = consumer;
  }

  /** Pauses the partitions of triggers whose workflow is unknown, resumes the others. */
  void check() {
    List<TopicPartition> toPause = new ArrayList<>();
    List<TopicPartition> toResume = new ArrayList<>();
    Set<WorkflowKey> waiting = new HashSet<>();
    for (TopicPartition partition : consumer.assignment()) {
      WorkflowKey workflow = workflowOf(partition);
      boolean open = known.test(workflow);
      if (!open && !paused.contains(partition)) {
        toPause.add(partition);
        waiting.add(workflow);
      } else if (open && paused.contains(partition)) {
        toResume.add(partition);
      }
    }
    if (!toPause.isEmpty()) {
      consumer.pause(toPause);
      paused.addAll(toPause);
      LOG.warn(
          "triggers wait: {} not registered or defined yet; their source records stay in {}"
              + " until it is",
          waiting,
          toPause);
    }
    if (!toResume.isEmpty()) {
      consumer.resume(toResume);
      toResume.forEach(paused::remove);
      LOG.info("triggers resume on {}: their workflow is known", toResume);
    }
  }

  private WorkflowKey workflowOf(TopicPartition partition) {
    TriggerSpec spec = byTopic.get(partition.topic());
    return WorkflowKey.of(spec.account(), spec.workflow());
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    check();
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    paused.removeAll(partitions);
  }
}
