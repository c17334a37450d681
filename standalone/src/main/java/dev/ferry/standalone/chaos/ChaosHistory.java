package dev.ferry.standalone.chaos;

import dev.ferry.schemas.KafkaClients;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.avro.HistoryEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows the history topic from its start, reading committed records only (what a consumer of the
 * public contract sees), and keeps what the checks need: every entry of the chaos workflow, the
 * newest entry per partition (to see when a partition makes progress again after a kill) and the
 * instances that have ended.
 */
final class ChaosHistory implements AutoCloseable {
  private final List<HistoryEntry> entries = new ArrayList<>();
  private final Map<Integer, Long> newestAt = new ConcurrentHashMap<>();
  private final Set<String> ended = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;
  private volatile int partitions;
  private volatile RuntimeException failure;

  ChaosHistory(String bootstrap, Topics topics) {
    this.thread = new Thread(() -> follow(bootstrap, topics), "chaos-history");
    thread.setDaemon(true);
    thread.start();
  }

  private void follow(String bootstrap, Topics topics) {
    try (var consumer =
        new KafkaConsumer<>(
            KafkaClients.committedReader(bootstrap, "ferry-chaos-history"),
            new StringDeserializer(),
            topics.serde(Topics.HISTORY).deserializer())) {
      var assigned = KafkaClients.assignAll(consumer, topics.name(Topics.HISTORY));
      consumer.seekToBeginning(assigned);
      partitions = assigned.size();
      while (running.get()) {
        for (var record : consumer.poll(Duration.ofMillis(100))) {
          HistoryEvent event = record.value();
          if (event == null || !ChaosWorkflow.NAME.equals(event.getWorkflow())) {
            continue;
          }
          HistoryEntry entry = HistoryEntry.of(record.partition(), event);
          synchronized (entries) {
            entries.add(entry);
          }
          newestAt.merge(record.partition(), entry.at(), Math::max);
          if (entry.terminal()) {
            ended.add(entry.instanceId());
          }
        }
      }
    } catch (RuntimeException e) {
      failure = e;
    }
  }

  /** Whether every history partition has recorded something after {@code since}. */
  boolean everyPartitionProgressedSince(long since) {
    check();
    int all = partitions;
    return all > 0
        && newestAt.size() == all
        && newestAt.values().stream().allMatch(at -> at > since);
  }

  /** How many of {@code instances} have not ended yet. */
  long unfinished(Set<String> instances) {
    check();
    return instances.stream().filter(id -> !ended.contains(id)).count();
  }

  List<HistoryEntry> entries() {
    check();
    synchronized (entries) {
      return List.copyOf(entries);
    }
  }

  private void check() {
    if (failure != null) {
      throw new IllegalStateException("reading the history topic failed: " + failure, failure);
    }
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.join(10_000);
  }
}
