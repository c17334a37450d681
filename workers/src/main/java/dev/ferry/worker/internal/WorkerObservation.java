package dev.ferry.worker.internal;

import dev.ferry.ops.AdminServer;
import dev.ferry.ops.Observability;
import dev.ferry.ops.ReadinessCheck;
import dev.ferry.ops.RegistryCheck;
import dev.ferry.schemas.Topics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a worker shows an operator: its Kafka clients' metrics, how far behind its task partitions
 * it is, whether it has joined its group and the registry answers, and (running alone) its admin
 * port. Closing it takes all of that away, so a worker stopped inside a longer-lived process
 * ({@code ferry dev}, tests) leaves no stale meter or check behind.
 */
public final class WorkerObservation implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerObservation.class);

  /** Where to serve the admin port ({@code port} -1: nowhere), and the setting that chose it. */
  public record AdminPort(String host, int port, String setting) {}

  private final Consumer<?, ?> consumer;
  private final List<AutoCloseable> undo = new ArrayList<>();
  private volatile boolean joined;
  private volatile int assigned;
  private AdminServer admin;

  private WorkerObservation(Consumer<?, ?> consumer) {
    this.consumer = consumer;
  }

  public static WorkerObservation start(
      Observability observability,
      Topics topics,
      Consumer<?, ?> consumer,
      Producer<?, ?> producer,
      String group,
      String workerId,
      AdminPort adminPort) {
    WorkerObservation observation = new WorkerObservation(consumer);
    KafkaClientMetrics consumerMetrics = new KafkaClientMetrics(consumer);
    KafkaClientMetrics producerMetrics = new KafkaClientMetrics(producer);
    consumerMetrics.bindTo(observability.registry());
    producerMetrics.bindTo(observability.registry());
    Gauge lag =
        Gauge.builder("ferry.worker.task.lag", observation, WorkerObservation::taskLag)
            .description(
                "Records of the group's task topic this worker has yet to read (the most of any"
                    + " of its partitions)")
            .baseUnit("records")
            .tag("group", group)
            .tag("worker", workerId)
            .register(observability.registry());
    ReadinessCheck inGroup =
        new ReadinessCheck(
            "worker " + workerId,
            () ->
                observation.joined
                    ? ReadinessCheck.Result.ready(
                        "in group " + group + " with " + observation.assigned + " task partitions")
                    : ReadinessCheck.Result.notReady("joining group " + group));
    ReadinessCheck registryAnswers = RegistryCheck.of(topics);
    observability.health().add(inGroup).add(registryAnswers);
    observation.undo.add(consumerMetrics);
    observation.undo.add(producerMetrics);
    observation.undo.add(() -> observability.registry().remove(lag));
    observation.undo.add(() -> observability.health().remove(inGroup).remove(registryAnswers));
    observation.admin =
        observability.serve(adminPort.host(), adminPort.port(), "worker", adminPort.setting());
    return observation;
  }

  /**
   * The group gave this worker its partitions (perhaps none: a group may have more members than
   * partitions); from now on it is ready.
   */
  public void joined(int partitions) {
    assigned = partitions;
    joined = true;
  }

  /** The admin port it serves on, or -1. */
  public int adminPort() {
    return admin == null ? -1 : admin.port();
  }

  /** The most records behind on any assigned task partition (0 before the first fetch). */
  private double taskLag() {
    double lag = 0;
    for (var entry : consumer.metrics().entrySet()) {
      if (entry.getKey().name().equals("records-lag-max")
          && entry.getKey().group().equals("consumer-fetch-manager-metrics")
          && !entry.getKey().tags().containsKey("partition")
          && entry.getValue().metricValue() instanceof Double value
          && !value.isNaN()) {
        lag = Math.max(lag, value);
      }
    }
    return lag;
  }

  @Override
  public void close() {
    for (AutoCloseable step : undo) {
      try {
        step.close();
      } catch (Exception e) {
        LOG.debug("stopping a worker's metrics: {}", e.toString());
      }
    }
    if (admin != null) {
      admin.close();
    }
  }
}
