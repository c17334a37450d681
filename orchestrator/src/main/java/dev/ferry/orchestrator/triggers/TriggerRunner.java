package dev.ferry.orchestrator.triggers;

import dev.ferry.schemas.DeadLetters;
import dev.ferry.schemas.InstanceKey;
import dev.ferry.schemas.KafkaClients;
import dev.ferry.schemas.Replication;
import dev.ferry.schemas.TopicProvisioner;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.WorkflowKey;
import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.avro.TriggerDefinition;
import dev.ferry.schemas.config.KafkaSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs queue-style triggers with exactly-once semantics: each poll's records become create commands
 * (or dead letters) in one Kafka transaction that also commits the source offsets, so a source
 * record yields exactly one committed create however often the process dies and restarts. The
 * orchestrator reads commands with read_committed and never sees an aborted one.
 *
 * <pre>{@code
 * try (TriggerRunner triggers = TriggerRunner.start(options, TriggerConfigFile.load(file))) {
 *   ...
 * }
 * }</pre>
 */
public final class TriggerRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TriggerRunner.class);

  /**
   * Where and how to run. {@code workflowKnown} says whether a workflow is in the catalogue: a
   * trigger reads nothing while its workflow is not (see {@link WorkflowGate}). {@code
   * transactionalId} must be stable for one process across restarts (so a restarted process fences
   * its dead predecessor) and distinct between processes.
   */
  public record Options(
      KafkaSettings kafka,
      Topics topics,
      String groupId,
      String transactionalId,
      int newTopicPartitions,
      Replication replication,
      Predicate<WorkflowKey> workflowKnown) {}

  /** Called after each record is sent inside the open transaction; tests use it to crash. */
  public interface RecordHook {
    void afterSend(ConsumerRecord<byte[], byte[]> record);
  }

  private final Options options;
  private final Map<String, TriggerSpec> byTopic;
  private final RecordMapper mapper;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> producer;
  private final RecordHook hook;
  private final WorkflowGate gate;
  private final Clock clock;
  private final AtomicBoolean running = new AtomicBoolean(true);

  /** How long an aborted batch waits before it is read again. */
  static final long RETRY_PAUSE_MS = 500;

  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean crashed;

  private TriggerRunner(Options options, List<TriggerSpec> specs, RecordHook hook, Clock clock) {
    this.options = options;
    this.byTopic =
        specs.stream().collect(Collectors.toMap(TriggerSpec::topic, Function.identity()));
    this.mapper = new RecordMapper(id -> options.topics().registry().getById(id));
    this.hook = hook;
    this.clock = clock;
    Map<String, Object> consumerConfig = new HashMap<>();
    consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, options.groupId());
    consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, options.transactionalId() + "-consumer");
    // Static membership: a restarted process takes its partitions back at once instead of
    // waiting for its dead predecessor's session to time out.
    consumerConfig.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, options.transactionalId());
    this.consumer =
        new KafkaConsumer<>(
            options.kafka().clientConfig(consumerConfig),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    this.producer =
        KafkaClients.bytesTransactionalProducer(options.kafka(), options.transactionalId());
    this.gate = new WorkflowGate(byTopic, options.workflowKnown());
    gate.attach(consumer);
    this.thread = new Thread(this::run, "ferry-triggers");
  }

  public static TriggerRunner start(Options options, List<TriggerSpec> specs) {
    return start(options, specs, record -> {}, Clock.systemUTC());
  }

  /** As {@link #start(Options, List)}, with a hook called after each record (for tests). */
  public static TriggerRunner start(
      Options options, List<TriggerSpec> specs, RecordHook hook, Clock clock) {
    createMissingSources(options, specs);
    TriggerRunner runner = new TriggerRunner(options, specs, hook, clock);
    runner.producer.initTransactions(); // fences a predecessor and aborts what it left open
    runner.publish(specs);
    runner.thread.start();
    LOG.info(
        "triggers running: {}",
        specs.stream()
            .map(s -> s.topic() + " -> " + WorkflowKey.of(s.account(), s.workflow()))
            .toList());
    return runner;
  }

  /** A trigger's source topic that does not exist yet is created, so records can arrive. */
  private static void createMissingSources(Options options, List<TriggerSpec> specs) {
    try (Admin admin = KafkaClients.admin(options.kafka())) {
      TopicProvisioner.ensure(
          admin,
          specs.stream()
              .map(
                  spec ->
                      options
                          .replication()
                          .newTopic(spec.topic(), options.newTopicPartitions(), Map.of()))
              .toList());
    }
  }

  /** Lists the triggers on the triggers topic so the API can show them. */
  private void publish(List<TriggerSpec> specs) {
    var serializer = options.topics().serde(Topics.TRIGGERS).serializer();
    String topic = options.topics().name(Topics.TRIGGERS);
    producer.beginTransaction();
    for (TriggerSpec spec : specs) {
      TriggerDefinition definition =
          TriggerDefinition.newBuilder()
              .setAccount(spec.account())
              .setWorkflow(spec.workflow())
              .setName(spec.name())
              .setTopic(spec.topic())
              .setFormat(spec.format().name().toLowerCase(Locale.ROOT))
              .setIdFrom(spec.idFrom().name().toLowerCase(Locale.ROOT))
              .setIdName(spec.idName())
              .setParamsFrom(spec.paramsFrom().name().toLowerCase(Locale.ROOT))
              .setParamsName(spec.paramsName())
              .setUpdatedAt(clock.millis())
              .build();
      String key = WorkflowKey.of(spec.account(), spec.workflow()).child(spec.name());
      producer.send(
          new ProducerRecord<>(topic, utf8(key), serializer.serialize(topic, definition)));
    }
    producer.commitTransaction();
  }

  private void run() {
    var commands = options.topics().serde(Topics.COMMANDS).serializer();
    String commandsTopic = options.topics().name(Topics.COMMANDS);
    String deadLetter = options.topics().deadLetter();
    try {
      consumer.subscribe(List.copyOf(byTopic.keySet()), gate);
      while (running.get()) {
        gate.check();
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
        if (records.isEmpty()) {
          continue;
        }
        producer.beginTransaction();
        try {
          for (ConsumerRecord<byte[], byte[]> record : records) {
            TriggerSpec spec = byTopic.get(record.topic());
            RecordMapper.Result result = mapSafely(spec, record);
            if (result instanceof RecordMapper.Created created) {
              Command command = created.command();
              String key =
                  InstanceKey.of(
                          command.getAccount(), command.getWorkflow(), command.getInstanceId())
                      .toString();
              producer.send(
                  new ProducerRecord<>(
                      commandsTopic, utf8(key), commands.serialize(commandsTopic, command)));
            } else if (result instanceof RecordMapper.Rejected rejected) {
              LOG.warn(
                  "trigger '{}' dead-letters {}-{}@{}: {}",
                  spec.name(),
                  record.topic(),
                  record.partition(),
                  record.offset(),
                  rejected.reason());
              ProducerRecord<byte[], byte[]> dead =
                  new ProducerRecord<>(deadLetter, record.key(), record.value());
              DeadLetters.describe(
                  dead.headers(),
                  "trigger '" + spec.name() + "': " + rejected.reason(),
                  record.topic(),
                  record.partition(),
                  record.offset());
              producer.send(dead);
            }
            hook.afterSend(record);
            if (crashed) {
              return; // a simulated crash: the transaction stays open, nothing is committed
            }
          }
          producer.sendOffsetsToTransaction(nextOffsets(records), consumer.groupMetadata());
          producer.commitTransaction();
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
          LOG.error("triggers stop: this producer cannot continue", e);
          return;
        } catch (WakeupException e) {
          throw e;
        } catch (RuntimeException e) {
          // Anything else (a failing registry, a bug) aborts this batch only: it is read again
          // after a pause, and the trigger never stops for good.
          LOG.warn("trigger transaction aborted, the records will be read again: {}", e.toString());
          producer.abortTransaction();
          rewind();
          pause();
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("triggers stopped", e);
    } finally {
      stopped.countDown();
    }
  }

  /**
   * The record mapped; a mapping that throws (a bug, an input nobody foresaw) rejects that record
   * to the dead-letter topic instead of stopping the trigger for good.
   */
  private RecordMapper.Result mapSafely(TriggerSpec spec, ConsumerRecord<byte[], byte[]> record) {
    try {
      return mapper.map(spec, record, clock.millis());
    } catch (RuntimeException e) {
      LOG.error(
          "trigger '{}' failed on {}-{}@{}",
          spec.name(),
          record.topic(),
          record.partition(),
          record.offset(),
          e);
      return new RecordMapper.Rejected("mapping failed: " + e);
    }
  }

  /** A short wait before an aborted batch is read again, so a lasting failure does not spin. */
  private void pause() {
    try {
      Thread.sleep(RETRY_PAUSE_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running.set(false);
    }
  }

  /** Back to the last committed offsets, so an aborted batch is processed again. */
  private void rewind() {
    var committed = consumer.committed(consumer.assignment());
    for (TopicPartition partition : consumer.assignment()) {
      OffsetAndMetadata offset = committed.get(partition);
      if (offset != null) {
        consumer.seek(partition, offset);
      } else {
        consumer.seekToBeginning(List.of(partition));
      }
    }
  }

  private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(
      ConsumerRecords<byte[], byte[]> records) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition partition : records.partitions()) {
      List<ConsumerRecord<byte[], byte[]>> list = records.records(partition);
      offsets.put(partition, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1));
    }
    return offsets;
  }

  /**
   * Stops as a crash would, for tests: the open transaction is neither committed nor aborted and
   * the clients are dropped. The next runner with the same transactional id aborts it.
   */
  public void crash() throws InterruptedException {
    crashed = true;
    running.set(false);
    stopped.await();
    producer.close(Duration.ZERO);
    consumer.close(Duration.ZERO);
  }

  /** Makes the next record end the loop as {@link #crash()} does (called from the hook). */
  public void crashAfterThisRecord() {
    crashed = true;
  }

  @Override
  public void close() {
    if (crashed) {
      return;
    }
    running.set(false);
    consumer.wakeup();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(5));
    consumer.close(Duration.ofSeconds(5));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
