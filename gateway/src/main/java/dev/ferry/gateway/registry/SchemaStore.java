package dev.ferry.gateway.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.schemas.Json;
import dev.ferry.schemas.KafkaClients;
import dev.ferry.schemas.TopicProvisioner;
import dev.ferry.schemas.config.KafkaSettings;
import dev.ferry.schemas.registry.CompatibilityLevel;
import dev.ferry.schemas.registry.InMemorySchemaRegistry;
import dev.ferry.schemas.registry.InMemorySchemaRegistry.State;
import dev.ferry.schemas.registry.RegisteredSchema;
import dev.ferry.schemas.registry.SchemaRegistryException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.Schema;
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
 * One registry process writes the topic (like Confluent's single leader). A record's key is {@code
 * subject:version} for a version, {@code config} and {@code mode} for the global settings, and a
 * JSON array such as {@code ["config","orders-value"]} for a subject's own (a key no version has).
 */
final class SchemaStore implements AutoCloseable {
  private final String topic;
  private final boolean readOnly;
  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  private final Map<String, RegistryMode> subjectModes = new ConcurrentHashMap<>();
  private volatile RegistryMode globalMode = RegistryMode.READWRITE;
  private final KafkaProducer<String, String> producer;

  SchemaStore(KafkaSettings kafka, String topic, boolean readOnly) {
    this.topic = topic;
    this.readOnly = readOnly;
    // One partition: the order of the records is the order of registrations.
    TopicProvisioner.ensureCompactedLog(kafka, topic);
    replay(kafka);
    this.producer =
        new KafkaProducer<>(
            KafkaClients.reliableProducer(kafka, "ferry-schema-registry"),
            new StringSerializer(),
            new StringSerializer());
  }

  private void replay(KafkaSettings kafka) {
    try (var consumer =
        new KafkaConsumer<>(
            kafka.clientConfig(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)),
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

  /** Replays one stored record; records written before deletion and modes existed read as live. */
  private void apply(JsonNode value) {
    String subject = value.hasNonNull("subject") ? value.get("subject").asText() : null;
    if (value.has("compatibilityLevel")) {
      String level = value.get("compatibilityLevel").asText("");
      if (subject == null) {
        registry.setCompatibility(CompatibilityLevel.valueOf(level));
      } else {
        registry.setCompatibility(
            subject, level.isEmpty() ? null : CompatibilityLevel.valueOf(level));
      }
      return;
    }
    if (value.has("mode")) {
      String mode = value.get("mode").asText("");
      if (subject == null) {
        globalMode = RegistryMode.valueOf(mode);
      } else if (mode.isEmpty()) {
        subjectModes.remove(subject);
      } else {
        subjectModes.put(subject, RegistryMode.valueOf(mode));
      }
      return;
    }
    registry.restore(
        new RegisteredSchema(
            subject,
            value.get("version").asInt(),
            value.get("id").asInt(),
            new Schema.Parser().parse(value.get("schema").asText())),
        State.valueOf(value.path("state").asText(State.LIVE.name())));
  }

  InMemorySchemaRegistry view() {
    return registry;
  }

  /**
   * The level a subject's new versions must meet: its own, else for Ferry's own subjects BACKWARD
   * (every Ferry process and client reads those topics; whatever the global level — anyone may set
   * it — they only ever change in ways old records stay readable), else the global one.
   */
  CompatibilityLevel levelFor(String subject) {
    return registry
        .compatibility(subject)
        .orElse(
            FerrySubjects.isFerrySubject(subject)
                ? CompatibilityLevel.BACKWARD
                : registry.compatibility());
  }

  /** The mode that applies to a subject (or, with {@code null}, to the registry). */
  RegistryMode modeFor(String subject) {
    if (readOnly) {
      return RegistryMode.READONLY;
    }
    return subject == null ? globalMode : subjectModes.getOrDefault(subject, globalMode);
  }

  Optional<RegistryMode> subjectMode(String subject) {
    return readOnly
        ? Optional.of(RegistryMode.READONLY)
        : Optional.ofNullable(subjectModes.get(subject));
  }

  private void requireWritable(String subject) {
    if (modeFor(subject) == RegistryMode.READONLY) {
      throw new SchemaRegistryException(
          42205,
          readOnly
              ? "The registry is read-only (registry.read.only): it accepts no changes"
              : "Subject '" + subject + "' is in read-only mode");
    }
  }

  synchronized int register(String subject, Schema schema) {
    Optional<RegisteredSchema> existing = registry.find(subject, schema);
    if (existing.isPresent()) {
      return existing.get().id();
    }
    requireWritable(subject);
    CompatibilityLevel level = levelFor(subject);
    if (!registry.isCompatible(subject, "latest", schema, level)) {
      throw InMemorySchemaRegistry.incompatible(
          subject,
          registry.compatibility(subject).isEmpty() && FerrySubjects.isFerrySubject(subject)
              ? "a subject of Ferry's own topics stays BACKWARD compatible"
              : level.name());
    }
    int id = registry.existingId(schema).orElseGet(registry::nextId);
    RegisteredSchema added =
        new RegisteredSchema(subject, registry.nextVersion(subject), id, schema);
    store(added, State.LIVE);
    return id;
  }

  /** Soft-deletes a live version, or permanently deletes a soft-deleted one; its number. */
  synchronized int deleteVersion(String subject, RegisteredSchema version, boolean permanent) {
    requireWritable(subject);
    State state = registry.state(subject, version.version());
    if (permanent && state != State.SOFT_DELETED) {
      throw new SchemaRegistryException(
          40407,
          "Version "
              + version.version()
              + " of subject '"
              + subject
              + "' was not deleted first before being permanently deleted");
    }
    if (!permanent && state == State.SOFT_DELETED) {
      throw new SchemaRegistryException(
          40406,
          "Version "
              + version.version()
              + " of subject '"
              + subject
              + "' was soft deleted. Set permanent=true to delete permanently");
    }
    store(version, permanent ? State.DELETED : State.SOFT_DELETED);
    return version.version();
  }

  /** Soft-deletes every live version, or permanently every soft-deleted one; their numbers. */
  synchronized List<Integer> deleteSubject(String subject, boolean permanent) {
    requireWritable(subject);
    List<RegisteredSchema> all = registry.versions(subject, true);
    List<RegisteredSchema> live = registry.liveVersions(subject);
    if (permanent && !live.isEmpty()) {
      throw new SchemaRegistryException(
          40405,
          "Subject '" + subject + "' was not deleted first before being permanently deleted");
    }
    if (!permanent && live.isEmpty()) {
      throw new SchemaRegistryException(
          40404,
          "Subject '" + subject + "' was soft deleted. Set permanent=true to delete permanently");
    }
    List<RegisteredSchema> deleting = permanent ? all : live;
    for (RegisteredSchema version : deleting) {
      store(version, permanent ? State.DELETED : State.SOFT_DELETED);
    }
    if (permanent) {
      registry.compatibility(subject).ifPresent(level -> setCompatibility(subject, null));
      if (subjectModes.containsKey(subject)) {
        setMode(subject, null);
      }
    }
    return deleting.stream().map(RegisteredSchema::version).toList();
  }

  private void store(RegisteredSchema version, State state) {
    ObjectNode record = Json.mapper().createObjectNode();
    record
        .put("subject", version.subject())
        .put("version", version.version())
        .put("id", version.id())
        .put("schema", version.schema().toString());
    if (state != State.LIVE) {
      record.put("state", state.name());
    }
    write(version.subject() + ":" + version.version(), record);
    registry.restore(version, state);
  }

  synchronized void setCompatibility(CompatibilityLevel level) {
    requireConfigurable();
    write("config", Json.mapper().createObjectNode().put("compatibilityLevel", level.name()));
    registry.setCompatibility(level);
  }

  /** Sets a subject's own level; {@code null} makes it follow the global one again. */
  synchronized void setCompatibility(String subject, CompatibilityLevel level) {
    writeSubjectSetting("config", "compatibilityLevel", subject, level);
    registry.setCompatibility(subject, level);
  }

  synchronized void setMode(RegistryMode mode) {
    requireConfigurable();
    write("mode", Json.mapper().createObjectNode().put("mode", mode.name()));
    globalMode = mode;
  }

  /** Sets a subject's own mode; {@code null} makes it follow the global one again. */
  synchronized void setMode(String subject, RegistryMode mode) {
    writeSubjectSetting("mode", "mode", subject, mode);
    if (mode == null) {
      subjectModes.remove(subject);
    } else {
      subjectModes.put(subject, mode);
    }
  }

  /** Stores a subject's own setting; an empty value means it follows the global one. */
  private void writeSubjectSetting(String key, String field, String subject, Enum<?> value) {
    requireConfigurable();
    write(
        Json.write(List.of(key, subject)),
        Json.mapper()
            .createObjectNode()
            .put("subject", subject)
            .put(field, value == null ? "" : value.name()));
  }

  private void requireConfigurable() {
    if (readOnly) {
      throw new SchemaRegistryException(
          42205, "The registry is read-only (registry.read.only): it accepts no changes");
    }
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
