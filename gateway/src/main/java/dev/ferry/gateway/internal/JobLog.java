package dev.ferry.gateway.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ferry.schemas.Json;
import dev.ferry.schemas.KafkaClients;
import dev.ferry.schemas.TopicProvisioner;
import dev.ferry.schemas.config.KafkaSettings;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the gateways keep their bulk jobs: a compacted one-partition topic ({@code <prefix>jobs},
 * internal to the gateways, JSON by job id) that every gateway writes its jobs' progress to and
 * follows whole. So any gateway answers for any job, and a job whose gateway died is seen as
 * running with an old heartbeat, for another gateway to take over.
 */
final class JobLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobLog.class);
  private static final TypeReference<Map<String, Object>> JSON_MAP = new TypeReference<>() {};

  /** The topic's name under the deployment's topic prefix. */
  static String topic(String prefix) {
    return prefix + "jobs";
  }

  private final String topic;
  private final KafkaProducer<String, String> producer;
  private final KafkaConsumer<String, String> consumer;
  private final Map<String, Map<String, Object>> latest = new ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread reader;

  JobLog(KafkaSettings kafka, String topic, String clientId) {
    this.topic = topic;
    TopicProvisioner.ensureCompactedLog(kafka, topic);
    this.producer =
        new KafkaProducer<>(
            KafkaClients.reliableProducer(kafka, clientId + "-jobs"),
            new StringSerializer(),
            new StringSerializer());
    this.consumer =
        new KafkaConsumer<>(
            KafkaClients.committedReader(kafka, clientId + "-jobs-reader"),
            new StringDeserializer(),
            new StringDeserializer());
    consumer.seekToBeginning(KafkaClients.assignAll(consumer, topic));
    this.reader = new Thread(this::follow, clientId + "-jobs-reader");
    reader.setDaemon(true);
    reader.start();
  }

  private void follow() {
    try {
      while (running.get()) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.value() == null) {
            latest.remove(record.key());
          } else {
            try {
              latest.put(record.key(), Json.mapper().readValue(record.value(), JSON_MAP));
            } catch (Exception e) {
              LOG.warn("skipping unreadable job record {}: {}", record.key(), e.toString());
            }
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close();
    }
  }

  /** Records a job's state (asynchronously; a later write of the same job supersedes it). */
  void write(String id, Map<String, Object> json) {
    producer.send(new ProducerRecord<>(topic, id, Json.write(json)));
  }

  /** Forgets a job (a tombstone, so compaction drops it). */
  void forget(String id) {
    producer.send(new ProducerRecord<>(topic, id, null));
  }

  /** The latest state of every job written, by id, as far as this gateway has read. */
  Map<String, Map<String, Object>> latest() {
    return Map.copyOf(latest);
  }

  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
    producer.close(Duration.ofSeconds(5));
    try {
      reader.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
