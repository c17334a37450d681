package dev.ferry.schemas;

import dev.ferry.schemas.config.KafkaSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Ferry's defaults for plain Kafka clients, in one place: producers that never lose or duplicate a
 * record, and consumers that see committed records only (the orchestrator writes in transactions).
 *
 * <pre>{@code
 * var consumer = new KafkaConsumer<>(KafkaClients.committedReader(bootstrap, "my-reader"), keys, values);
 * KafkaClients.assignAll(consumer, "workflows.status");
 * }</pre>
 */
public final class KafkaClients {
  private KafkaClients() {}

  /** acks=all, idempotent, no linger, and room for Ferry's largest records. */
  public static Map<String, Object> reliableProducer(KafkaSettings kafka, String clientId) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    return kafka.clientConfig(config);
  }

  /** As above, for a cluster that needs no client settings (tools, tests). */
  public static Map<String, Object> reliableProducer(String bootstrap, String clientId) {
    return reliableProducer(KafkaSettings.of(bootstrap), clientId);
  }

  /**
   * A {@link #reliableProducer} with a transactional id, for consume-transform-produce loops: the
   * id must stay the same for one process across restarts, so a restart fences its predecessor.
   */
  public static Map<String, Object> transactionalProducer(
      KafkaSettings kafka, String clientId, String transactionalId) {
    Map<String, Object> config = reliableProducer(kafka, clientId);
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    return config;
  }

  /**
   * A {@link #transactionalProducer} of raw bytes (client id {@code <transactionalId>-producer}),
   * for the loops that serialise their records themselves: the triggers and the cron scheduler.
   */
  public static KafkaProducer<byte[], byte[]> bytesTransactionalProducer(
      KafkaSettings kafka, String transactionalId) {
    return new KafkaProducer<>(
        transactionalProducer(kafka, transactionalId + "-producer", transactionalId),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  /**
   * How long the broker may hold a fetch that finds nothing new. It answers as soon as a record is
   * there (fetch.min.bytes is 1), so this bounds only the idle fetches: at 5 ms every reader made
   * about 200 round trips a second with nothing to read.
   */
  public static final int FETCH_MAX_WAIT_MS = 500;

  /**
   * A consumer without a group that reads committed records only and answers fast (a low fetch
   * wait), for readers that follow whole topics: reply waiters, read models, subscribers.
   */
  public static Map<String, Object> committedReader(KafkaSettings kafka, String clientId) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_MAX_WAIT_MS);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    return kafka.clientConfig(config);
  }

  /** As above, for a cluster that needs no client settings (tools, tests). */
  public static Map<String, Object> committedReader(String bootstrap, String clientId) {
    return committedReader(KafkaSettings.of(bootstrap), clientId);
  }

  /** An admin client with the passed settings. */
  public static org.apache.kafka.clients.admin.Admin admin(KafkaSettings kafka) {
    return org.apache.kafka.clients.admin.Admin.create(kafka.clientConfig());
  }

  /** Assigns every partition of the topics and returns them. */
  public static List<TopicPartition> assignAll(Consumer<?, ?> consumer, String... topics) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics) {
      consumer
          .partitionsFor(topic)
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    }
    consumer.assign(partitions);
    return List.copyOf(partitions);
  }

  /**
   * Positions the consumer at the current end and resolves the positions now, so that nothing
   * written after this call returns can be missed.
   */
  public static void startAtEnd(Consumer<?, ?> consumer, List<TopicPartition> partitions) {
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
  }
}
