package dev.ferry.schemas;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads whole topics from the beginning on a background thread (committed records only) and hands
 * every record to a handler, for views built from Ferry's outputs: the gateway's read models, a
 * worker's look at registered versions. {@link #awaitCaughtUp} lets a caller read its own writes.
 *
 * <pre>{@code
 * try (TopicFollower follower = TopicFollower.start(bootstrap, "my-view", record -> ..., topic)) {
 *   follower.awaitCaughtUp(Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class TopicFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final Admin admin;
  private final List<TopicPartition> partitions;
  private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
  private final Object progress = new Object();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Consumer<ConsumerRecord<String, byte[]>> handler;
  private final Thread thread;

  private TopicFollower(
      String bootstrap,
      String clientId,
      Consumer<ConsumerRecord<String, byte[]>> handler,
      String... topics) {
    this.handler = handler;
    this.admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
    this.consumer =
        new KafkaConsumer<>(
            KafkaClients.committedReader(bootstrap, clientId),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    this.partitions = KafkaClients.assignAll(consumer, topics);
    consumer.seekToBeginning(partitions);
    this.thread = new Thread(this::poll, clientId);
    thread.setDaemon(true);
  }

  /**
   * Starts following. The handler runs on the follower's thread; a handler that throws skips that
   * record (logged) rather than stopping the view.
   */
  public static TopicFollower start(
      String bootstrap,
      String clientId,
      Consumer<ConsumerRecord<String, byte[]>> handler,
      String... topics) {
    TopicFollower follower = new TopicFollower(bootstrap, clientId, handler, topics);
    follower.thread.start();
    return follower;
  }

  /**
   * Waits until everything committed to the topics before this call has been handled. Returns false
   * on timeout.
   */
  public boolean awaitCaughtUp(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<TopicPartition, Long> ends = new HashMap<>();
    try {
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
      admin
          .listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
          .all()
          .get()
          .forEach((tp, info) -> ends.put(tp, info.offset()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      LOG.warn("cannot read end offsets: {}", e.getCause().toString());
      return false;
    }
    synchronized (progress) {
      while (true) {
        boolean caughtUp =
            ends.entrySet().stream()
                .allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue());
        long left = deadline - System.nanoTime();
        if (caughtUp || left <= 0) {
          return caughtUp;
        }
        try {
          progress.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
  }

  private void poll() {
    try {
      while (running.get()) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          try {
            handler.accept(record);
          } catch (RuntimeException e) {
            LOG.warn(
                "skipping unreadable record {}-{}@{}: {}",
                record.topic(),
                record.partition(),
                record.offset(),
                e.getMessage());
          }
        }
        for (TopicPartition partition : partitions) {
          positions.put(partition, consumer.position(partition));
        }
        synchronized (progress) {
          progress.notifyAll();
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("following {} stopped", partitions, e);
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    admin.close(Duration.ofSeconds(2));
  }
}
