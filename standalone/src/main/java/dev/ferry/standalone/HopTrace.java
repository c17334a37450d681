package dev.ferry.standalone;

import dev.ferry.schemas.KafkaClients;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.avro.InstanceSnapshot;
import dev.ferry.schemas.avro.InstanceStatusCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Where the time of one instance goes: readers of the stack's topics, one that sees records as soon
 * as they are written and one that sees them only once committed, note when each record of a traced
 * instance first appears. Between consecutive marks lies one hop of the path (see {@link Mark}), so
 * the medians over many instances say which hop costs what.
 */
final class HopTrace implements AutoCloseable {
  /** The points of an instance's path, in the order they happen. */
  enum Mark {
    CREATE_WRITTEN("the gateway wrote the create"),
    ACTIVATION_WRITTEN("the orchestrator wrote the activation"),
    ACTIVATION_COMMITTED("its transaction committed: the worker may read it"),
    REPORT_WRITTEN("the worker ran the steps and wrote its report"),
    COMPLETE_WRITTEN("the orchestrator wrote the complete status"),
    COMPLETE_COMMITTED("its transaction committed: clients see the instance complete");

    final String meaning;

    Mark(String meaning) {
      this.meaning = meaning;
    }
  }

  private final Map<String, long[]> marks = new ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> readers = new ArrayList<>();

  HopTrace(String bootstrap, Topics topics) {
    // A deserializer per reader thread: they keep schema caches of their own.
    var status = topics.serde(Topics.STATUS).deserializer();
    var committedStatus = topics.serde(Topics.STATUS).deserializer();
    readers.add(
        reader(
            bootstrap,
            "read_uncommitted",
            topics,
            (topic, record) -> {
              if (topic.equals(topics.name(Topics.COMMANDS))) {
                mark(record.key(), Mark.CREATE_WRITTEN);
              } else if (topics.taskGroup(topic).isPresent()) {
                mark(record.key(), Mark.ACTIVATION_WRITTEN);
              } else if (topic.equals(topics.name(Topics.RESULTS))) {
                mark(record.key(), Mark.REPORT_WRITTEN);
              } else if (isComplete(status.deserialize(topic, record.value()))) {
                mark(record.key(), Mark.COMPLETE_WRITTEN);
              }
            }));
    readers.add(
        reader(
            bootstrap,
            "read_committed",
            topics,
            (topic, record) -> {
              if (topics.taskGroup(topic).isPresent()) {
                mark(record.key(), Mark.ACTIVATION_COMMITTED);
              } else if (topic.equals(topics.name(Topics.STATUS))
                  && isComplete(committedStatus.deserialize(topic, record.value()))) {
                mark(record.key(), Mark.COMPLETE_COMMITTED);
              }
            }));
  }

  /** Starts tracing the instance with this key, its path starting now. */
  void trace(String instanceKey) {
    long[] times = new long[Mark.values().length];
    java.util.Arrays.fill(times, -1);
    marks.put(instanceKey, times);
  }

  /**
   * The hops of the traced instances that passed every mark: for each mark, the time from the
   * previous one (the first from {@code starts}, when the client sent the create) in ms.
   */
  Map<Mark, List<Double>> hops(Map<String, Long> starts) {
    Map<Mark, List<Double>> hops = new EnumMap<>(Mark.class);
    for (Mark mark : Mark.values()) {
      hops.put(mark, new ArrayList<>());
    }
    starts.forEach(
        (key, start) -> {
          long[] times = marks.get(key);
          if (times == null || java.util.Arrays.stream(times).anyMatch(t -> t < 0)) {
            return;
          }
          long previous = start;
          for (Mark mark : Mark.values()) {
            hops.get(mark).add(Math.max(0, times[mark.ordinal()] - previous) / 1e6);
            previous = Math.max(previous, times[mark.ordinal()]);
          }
        });
    return hops;
  }

  private void mark(String key, Mark mark) {
    long[] times = marks.get(key);
    if (times != null && times[mark.ordinal()] < 0) {
      times[mark.ordinal()] = System.nanoTime();
    }
  }

  private static boolean isComplete(InstanceSnapshot snapshot) {
    return snapshot != null && snapshot.getStatus() == InstanceStatusCode.COMPLETE;
  }

  private Thread reader(
      String bootstrap,
      String isolation,
      Topics topics,
      BiConsumer<String, org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>>
          onRecord) {
    Map<String, Object> config =
        new HashMap<>(KafkaClients.committedReader(bootstrap, "ferry-bench-trace-" + isolation));
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    List<String> names = new ArrayList<>();
    for (String topic : consumer.listTopics().keySet()) {
      if (topics.taskGroup(topic).isPresent()
          || topic.equals(topics.name(Topics.COMMANDS))
          || topic.equals(topics.name(Topics.RESULTS))
          || topic.equals(topics.name(Topics.STATUS))) {
        names.add(topic);
      }
    }
    KafkaClients.startAtEnd(
        consumer, KafkaClients.assignAll(consumer, names.toArray(String[]::new)));
    Thread thread =
        new Thread(
            () -> {
              try (consumer) {
                while (running.get()) {
                  for (var record : consumer.poll(Duration.ofMillis(100))) {
                    // Only traced instances: the others' status records are not even decoded.
                    if (record.key() != null && marks.containsKey(record.key())) {
                      onRecord.accept(record.topic(), record);
                    }
                  }
                }
              }
            },
            "bench-trace-" + isolation);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    for (Thread reader : readers) {
      reader.join(5_000);
    }
  }
}
