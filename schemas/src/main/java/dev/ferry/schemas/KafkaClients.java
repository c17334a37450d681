package dev.ferry.schemas;

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
  public static Map<String, Object> reliableProducer(String bootstrap, String clientId) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    return config;
  }

  /**
   * A {@link #reliableProducer} with a transactional id, for consume-transform-produce loops: the
   * id must stay the same for one process across restarts, so a restart fences its predecessor.
   */
  public static Map<String, Object> transactionalProducer(
      String bootstrap, String clientId, String transactionalId) {
    Map<String, Object> config = reliableProducer(bootstrap, clientId);
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    return config;
  }

  /**
   * A {@link #transactionalProducer} of raw bytes (client id {@code <transactionalId>-producer}),
   * for the loops that serialise their records themselves: the triggers and the cron scheduler.
   */
  public static KafkaProducer<byte[], byte[]> bytesTransactionalProducer(
      String bootstrap, String transactionalId) {
    return new KafkaProducer<>(
        transactionalProducer(bootstrap, transactionalId + "-producer", transactionalId),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  /**
   * A consumer without a group that reads committed records only and answers fast (a low fetch
   * wait), for readers that follow whole topics: reply waiters, read models, subscribers.
   */
  public static Map<String, Object> committedReader(String bootstrap, String clientId) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    return config;
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
