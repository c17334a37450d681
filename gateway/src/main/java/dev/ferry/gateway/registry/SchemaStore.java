package dev.ferry.gateway.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.schemas.Json;
import dev.ferry.schemas.KafkaClients;
import dev.ferry.schemas.TopicProvisioner;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.registry.CompatibilityLevel;
import dev.ferry.schemas.registry.InMemorySchemaRegistry;
import dev.ferry.schemas.registry.RegisteredSchema;
import dev.ferry.schemas.registry.SchemaRegistryException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The registry's durable state: every version and the compatibility level are records of a
 * single-partition compacted topic, replayed into memory at start, so schema ids survive restarts.
 * One registry process writes the topic (like Confluent's single leader).
 */
final class SchemaStore implements AutoCloseable {
  private final String topic;
  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  private final KafkaProducer<String, String> producer;

  SchemaStore(String bootstrap, String topic) {
    this.topic = topic;
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      TopicProvisioner.ensure(
          admin,
          List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("cleanup.policy", "compact"))));
    }
    replay(bootstrap);
    this.producer =
        new KafkaProducer<>(
            KafkaClients.reliableProducer(bootstrap, "ferry-schema-registry"),
            new StringSerializer(),
            new StringSerializer());
  }

  private void replay(String bootstrap) {
    try (var consumer =
        new KafkaConsumer<>(
            Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false),
            new StringDeserializer(),
            new StringDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(Set.of(partition));
      consumer.seekToBeginning(Set.of(partition));
      long end = consumer.endOffsets(Set.of(partition)).get(partition);
      while (consumer.position(partition) < end) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          if (record.value() != null) {
            apply(Json.parse(record.value()));
          }
        }
      }
    }
  }

  private void apply(JsonNode value) {
    if (value.has("compatibilityLevel")) {
      registry.setCompatibility(
          CompatibilityLevel.valueOf(value.get("compatibilityLevel").asText()));
      return;
    }
    registry.restore(
        new RegisteredSchema(
            value.get("subject").asText(),
            value.get("version").asInt(),
            value.get("id").asInt(),
            new Schema.Parser().parse(value.get("schema").asText())));
  }

  /**
   * Whether the subject is the value subject of one of Ferry's topics, under any prefix: {@code
   * <prefix><suffix>-value} for a Ferry topic suffix, or a worker group's task topic.
   */
  static boolean isFerrySubject(String subject) {
    if (!subject.endsWith("-value")) {
      return false;
    }
    String topic = subject.substring(0, subject.length() - "-value".length());
    for (var spec : Topics.ALL) {
      if (topic.endsWith(spec.suffix())) {
        return true;
      }
    }
    return topic.contains(Topics.TASKS.suffix() + ".") || topic.endsWith(Topics.DEAD_LETTER_SUFFIX);
  }

  private boolean backwardCompatible(String subject, Schema schema) {
    try {
      Schema latest = registry.latest(subject).schema();
      return CompatibilityLevel.BACKWARD.allows(schema, java.util.List.of(latest));
    } catch (SchemaRegistryException none) {
      return true; // the first version of the subject
    }
  }

  InMemorySchemaRegistry view() {
    return registry;
  }

  synchronized int register(String subject, Schema schema) {
    try {
      return registry.lookup(subject, schema).id();
    } catch (SchemaRegistryException notThere) {
      // new for this subject
    }
    if (!registry.isCompatible(subject, "latest", schema)) {
      throw new SchemaRegistryException(
          409,
          "Schema being registered is incompatible with an earlier schema for subject \""
              + subject
              + "\" ("
              + registry.compatibility()
              + ")");
    }
    if (isFerrySubject(subject) && !backwardCompatible(subject, schema)) {
      // Every Ferry process and client reads these topics with them: whatever the configured
      // level (anyone may set it), they only ever change in ways old records stay readable.
      throw new SchemaRegistryException(
          409,
          "Schema being registered is incompatible with an earlier schema for subject \""
              + subject
              + "\" (a subject of Ferry's own topics stays BACKWARD compatible)");
    }
    int id = registry.existingId(schema).orElseGet(registry::nextId);
    int version;
    try {
      version = registry.latest(subject).version() + 1;
    } catch (SchemaRegistryException none) {
      version = 1;
    }
    ObjectNode record = Json.mapper().createObjectNode();
    record
        .put("subject", subject)
        .put("version", version)
        .put("id", id)
        .put("schema", schema.toString());
    write(subject + ":" + version, record);
    registry.restore(new RegisteredSchema(subject, version, id, schema));
    return id;
  }

  synchronized void setCompatibility(CompatibilityLevel level) {
    write("config", Json.mapper().createObjectNode().put("compatibilityLevel", level.name()));
    registry.setCompatibility(level);
  }

  private void write(String key, JsonNode value) {
    try {
      producer.send(new ProducerRecord<>(topic, key, Json.write(value))).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException("interrupted storing a schema", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new SchemaRegistryException("cannot store the schema: " + e, e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
