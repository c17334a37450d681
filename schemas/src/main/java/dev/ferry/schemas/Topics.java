package dev.ferry.schemas;

import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.avro.CommandReply;
import dev.ferry.schemas.avro.HistoryEvent;
import dev.ferry.schemas.avro.InstanceEvent;
import dev.ferry.schemas.avro.InstanceSnapshot;
import dev.ferry.schemas.avro.ScheduleCursor;
import dev.ferry.schemas.avro.Task;
import dev.ferry.schemas.avro.TriggerDefinition;
import dev.ferry.schemas.avro.WorkerPresence;
import dev.ferry.schemas.avro.WorkerReport;
import dev.ferry.schemas.avro.WorkflowDefinition;
import dev.ferry.schemas.avro.WorkflowVersion;
import dev.ferry.schemas.registry.SchemaRegistryClient;
import dev.ferry.schemas.serde.ConfluentAvroSerde;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serde;

/**
 * The one place that knows Ferry's topics: names (after a configurable prefix), value types and
 * serdes, and how each topic is created. Keys are UTF-8 text: the instance key on every
 * per-instance topic, the workflow key (or workflow key and version) on the catalogue topics.
 *
 * <pre>{@code
 * Topics topics = new Topics("workflows.", registry);
 * producer.send(new ProducerRecord<>(topics.name(Topics.COMMANDS), key.toString(), command));
 * }</pre>
 */
public final class Topics {
  public static final TopicSpec<Command> COMMANDS =
      new TopicSpec<>("commands", Command.getClassSchema(), false);
  public static final TopicSpec<InstanceEvent> EVENTS =
      new TopicSpec<>("events", InstanceEvent.getClassSchema(), false);

  /**
   * The task topics, one per worker group: {@code <prefix>tasks.<group>} (see {@link
   * #tasks(String)}). A group's topic is created by its workers when they start.
   */
  public static final TopicSpec<Task> TASKS =
      new TopicSpec<>("tasks", Task.getClassSchema(), false);

  public static final TopicSpec<WorkerReport> RESULTS =
      new TopicSpec<>("results", WorkerReport.getClassSchema(), false);
  public static final TopicSpec<InstanceSnapshot> STATUS =
      new TopicSpec<>("status", InstanceSnapshot.getClassSchema(), true);
  public static final TopicSpec<HistoryEvent> HISTORY =
      new TopicSpec<>("history", HistoryEvent.getClassSchema(), false);
  public static final TopicSpec<CommandReply> REPLIES =
      new TopicSpec<>("replies", CommandReply.getClassSchema(), false);

  /** Workflow builds registered by workers; key "<account>/<workflow>/<versionId>". */
  public static final TopicSpec<WorkflowVersion> VERSIONS =
      new TopicSpec<>("versions", WorkflowVersion.getClassSchema(), true);

  /** Running workers and the workflow builds they host; key "<group>/<workerId>". */
  public static final TopicSpec<WorkerPresence> WORKERS =
      new TopicSpec<>("workers", WorkerPresence.getClassSchema(), true);

  /** Workflow settings from the management API; key "<account>/<workflow>". */
  public static final TopicSpec<WorkflowDefinition> DEFINITIONS =
      new TopicSpec<>("definitions", WorkflowDefinition.getClassSchema(), true);

  /** Queue-style triggers in use; key "<account>/<workflow>/<name>". */
  public static final TopicSpec<TriggerDefinition> TRIGGERS =
      new TopicSpec<>("triggers", TriggerDefinition.getClassSchema(), true);

  /** Last firing of each cron schedule; key "<account>/<workflow>/<cron>". */
  public static final TopicSpec<ScheduleCursor> SCHEDULES =
      new TopicSpec<>("schedules", ScheduleCursor.getClassSchema(), true);

  /** Raw bytes of records Ferry could not use, with {@link DeadLetters} headers. */
  public static final String DEAD_LETTER_SUFFIX = "dead-letter";

  /** Every Avro topic with a fixed name (task topics are per group), in data-flow order. */
  public static final List<TopicSpec<?>> ALL =
      List.of(
          COMMANDS,
          EVENTS,
          RESULTS,
          STATUS,
          HISTORY,
          REPLIES,
          VERSIONS,
          WORKERS,
          DEFINITIONS,
          TRIGGERS,
          SCHEDULES);

  /** Activations carry params and history; allow records well above Kafka's 1 MB default. */
  public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  private final String prefix;
  private final SchemaRegistryClient registry;

  public Topics(String prefix, SchemaRegistryClient registry) {
    this.prefix = prefix;
    this.registry = registry;
  }

  public String name(TopicSpec<?> topic) {
    return prefix + topic.suffix();
  }

  /** The task topic of a worker group: {@code <prefix>tasks.<group>}. */
  public String tasks(String group) {
    Names.checkGroup(group)
        .ifPresent(
            problem -> {
              throw new IllegalArgumentException(problem);
            });
    return prefix + TASKS.suffix() + "." + group;
  }

  /** The group whose task topic this is, if it is one. */
  public Optional<String> taskGroup(String fullName) {
    String start = prefix + TASKS.suffix() + ".";
    return fullName.startsWith(start)
        ? Optional.of(fullName.substring(start.length()))
        : Optional.empty();
  }

  public String deadLetter() {
    return prefix + DEAD_LETTER_SUFFIX;
  }

  public SchemaRegistryClient registry() {
    return registry;
  }

  @SuppressWarnings("unchecked")
  public <V extends SpecificRecord> Serde<V> serde(TopicSpec<V> topic) {
    return (Serde<V>) ConfluentAvroSerde.of(registry, topic.valueSchema());
  }

  /** A serde for a store value; its changelog is a topic like any other. */
  public <V extends SpecificRecord> Serde<V> serde(Schema schema) {
    return ConfluentAvroSerde.of(registry, schema);
  }

  /** Finds a topic by its full name (a group's task topic gives {@link #TASKS}). */
  public Optional<TopicSpec<?>> byName(String fullName) {
    if (taskGroup(fullName).isPresent()) {
      return Optional.of(TASKS);
    }
    return ALL.stream().filter(t -> name(t).equals(fullName)).findFirst();
  }

  /** The topics to create: every fixed-name Avro topic plus the dead-letter topic. */
  public List<NewTopic> newTopics(
      int partitions, Replication replication, long historyRetentionMs) {
    List<NewTopic> result = new ArrayList<>();
    for (TopicSpec<?> topic : ALL) {
      NewTopic created = newTopic(name(topic), topic.compacted(), partitions, replication);
      if (topic == HISTORY) {
        // The step details the API shows come from here: the broker's default (7 days) would
        // drop them while the instances they belong to are still kept.
        Map<String, String> configs = new java.util.HashMap<>(created.configs());
        configs.put("retention.ms", String.valueOf(historyRetentionMs));
        created.configs(configs);
      }
      result.add(created);
    }
    // Its records are the originals, as large as any input: it needs the same size limit.
    result.add(newTopic(deadLetter(), false, partitions, replication));
    return result;
  }

  /** A group's task topic, laid out like the other per-instance topics. */
  public NewTopic newTaskTopic(String group, int partitions, Replication replication) {
    return newTopic(tasks(group), false, partitions, replication);
  }

  private static NewTopic newTopic(
      String name, boolean compacted, int partitions, Replication replication) {
    return replication.newTopic(
        name,
        partitions,
        Map.of(
            "cleanup.policy",
            compacted ? "compact" : "delete",
            "max.message.bytes",
            String.valueOf(MAX_MESSAGE_BYTES)));
  }
}
