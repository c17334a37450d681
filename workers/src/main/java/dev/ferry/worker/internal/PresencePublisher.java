package dev.ferry.worker.internal;

import dev.ferry.schemas.KafkaClients;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.avro.HostedWorkflow;
import dev.ferry.schemas.avro.WorkerPresence;
import dev.ferry.schemas.avro.WorkflowVersion;
import dev.ferry.schemas.config.KafkaSettings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces a worker on the compacted workers topic: what it hosts, renewed every interval, and a
 * tombstone when it stops. The orchestrator routes an instance only to a group with a present
 * member hosting its workflow; a worker that dies without the tombstone counts as gone once its
 * last announcement is older than {@link #expiresAfterMs()}.
 */
public final class PresencePublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PresencePublisher.class);

  /** Missing this many renewals in a row makes the worker count as gone. */
  static final int RENEWALS_MISSED_BEFORE_GONE = 3;

  private final KafkaProducer<String, WorkerPresence> producer;
  private final String topic;
  private final String key;
  private final WorkerPresence presence;
  private volatile boolean withdrawn;

  public PresencePublisher(
      KafkaSettings kafka,
      Topics topics,
      String group,
      String workerId,
      List<WorkflowVersion> hosted,
      Duration interval,
      long startedAt) {
    this.producer =
        new KafkaProducer<>(
            KafkaClients.reliableProducer(kafka, "ferry-worker-" + workerId + "-presence"),
            new StringSerializer(),
            topics.serde(Topics.WORKERS).serializer());
    this.topic = topics.name(Topics.WORKERS);
    this.key = group + "/" + workerId;
    this.presence =
        WorkerPresence.newBuilder()
            .setGroup(group)
            .setWorkerId(workerId)
            .setWorkflows(
                hosted.stream()
                    .map(v -> new HostedWorkflow(v.getAccount(), v.getWorkflow(), v.getVersionId()))
                    .toList())
            .setStartedAt(startedAt)
            .setHeartbeatAt(startedAt)
            .setExpiresAfterMs(interval.toMillis() * RENEWALS_MISSED_BEFORE_GONE)
            .build();
  }

  public long expiresAfterMs() {
    return presence.getExpiresAfterMs();
  }

  /** Announces the worker and waits for the broker's acknowledgement. */
  public void announce(long now) {
    presence.setHeartbeatAt(now);
    await(
        producer.send(
            new ProducerRecord<>(topic, key, WorkerPresence.newBuilder(presence).build())));
  }

  /** Renews the announcement without waiting; a missed renewal is caught by the next one. */
  public void renew(long now) {
    if (withdrawn) {
      return;
    }
    presence.setHeartbeatAt(now);
    producer.send(
        new ProducerRecord<>(topic, key, WorkerPresence.newBuilder(presence).build()),
        (metadata, error) -> {
          if (error != null) {
            LOG.warn("presence of {} not renewed: {}", key, error.toString());
          }
        });
  }

  /** Says the worker left, so no new task is routed to its group on its account. */
  public void withdraw() {
    withdrawn = true;
    try {
      producer.send(new ProducerRecord<>(topic, key, null)).get(5, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("could not withdraw the presence of {}: {}", key, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void await(java.util.concurrent.Future<?> ack) {
    try {
      ack.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot announce worker " + key + " on " + topic, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while announcing worker " + key, e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }

  /** Closes without the tombstone: what a crash looks like. */
  public void abandon() {
    producer.close(Duration.ZERO);
  }
}
