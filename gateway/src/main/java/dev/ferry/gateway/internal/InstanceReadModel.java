package dev.ferry.gateway.internal;

import dev.ferry.schemas.KafkaClients;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.avro.HistoryEvent;
import dev.ferry.schemas.avro.InstanceSnapshot;
import dev.ferry.schemas.avro.StepRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's view of instances, built by reading the status and history topics from the start
 * (committed records only). Step entries come from history events, each carrying the step as it now
 * is; a newer generation (restart) replaces the older steps.
 */
public final class InstanceReadModel implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InstanceReadModel.class);

  private final Topics topics;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Admin admin;
  private final Map<String, Entry> instances = new ConcurrentHashMap<>();
  private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
  private final List<TopicPartition> partitions;
  private final Object progress = new Object();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  private static final class Entry {
    InstanceSnapshot snapshot;
    int generation;

    /** History events read for this instance, of every generation. */
    long applied;

    final TreeMap<Integer, StepRecord> steps = new TreeMap<>();
  }

  public InstanceReadModel(String bootstrap, Topics topics) {
    this.topics = topics;
    this.admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
    this.consumer =
        new KafkaConsumer<>(
            KafkaClients.committedReader(bootstrap, "ferry-gateway-read-model"),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    this.partitions =
        KafkaClients.assignAll(consumer, topics.name(Topics.STATUS), topics.name(Topics.HISTORY));
    consumer.seekToBeginning(partitions);
    this.thread = new Thread(this::poll, "ferry-gateway-read-model");
    thread.setDaemon(true);
    thread.start();
  }

  public Optional<InstanceView> get(String key) {
    Entry entry = instances.get(key);
    if (entry == null) {
      return Optional.empty();
    }
    synchronized (entry) {
      if (entry.snapshot == null) {
        return Optional.empty();
      }
      return Optional.of(
          new InstanceView(
              entry.snapshot,
              List.copyOf(entry.steps.values()),
              entry.applied >= entry.snapshot.getHistoryEvents()));
    }
  }

  /** Snapshots of every known instance of one workflow. */
  public List<InstanceSnapshot> list(String account, String workflow) {
    String prefix = account + "/" + workflow + "/";
    List<InstanceSnapshot> found = new ArrayList<>();
    instances.forEach(
        (key, entry) -> {
          if (key.startsWith(prefix)) {
            synchronized (entry) {
              if (entry.snapshot != null) {
                found.add(entry.snapshot);
              }
            }
          }
        });
    return found;
  }

  /**
   * Waits until everything committed to status and history before this call has been read, so a
   * caller can read its own writes. Returns false on timeout.
   */
  public boolean awaitCaughtUp(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<TopicPartition, Long> ends;
    try {
      Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
      partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
      ends = new java.util.HashMap<>();
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
    String statusTopic = topics.name(Topics.STATUS);
    Deserializer<InstanceSnapshot> snapshots = topics.serde(Topics.STATUS).deserializer();
    Deserializer<HistoryEvent> events = topics.serde(Topics.HISTORY).deserializer();
    try {
      while (running.get()) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          try {
            if (record.topic().equals(statusTopic)) {
              apply(record.key(), snapshots.deserialize(record.topic(), record.value()));
            } else {
              apply(record.key(), events.deserialize(record.topic(), record.value()));
            }
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
      LOG.error("read model stopped", e);
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private void apply(String key, InstanceSnapshot snapshot) {
    if (snapshot == null) {
      instances.remove(key);
      return;
    }
    Entry entry = instances.computeIfAbsent(key, k -> new Entry());
    synchronized (entry) {
      if (snapshot.getGeneration() > entry.generation) {
        entry.steps.clear();
        entry.generation = snapshot.getGeneration();
      }
      entry.snapshot = snapshot;
    }
  }

  private void apply(String key, HistoryEvent event) {
    if (event == null) {
      return;
    }
    Entry entry = instances.computeIfAbsent(key, k -> new Entry());
    synchronized (entry) {
      entry.applied++;
      if (event.getStep() == null) {
        return;
      }
      if (event.getGeneration() < entry.generation) {
        return;
      }
      if (event.getGeneration() > entry.generation) {
        entry.steps.clear();
        entry.generation = event.getGeneration();
      }
      entry.steps.put(event.getStep().getPosition(), event.getStep());
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
