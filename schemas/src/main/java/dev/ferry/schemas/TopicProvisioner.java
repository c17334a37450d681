package dev.ferry.schemas;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the topics that are missing; existing topics are left exactly as they are. */
public final class TopicProvisioner {
  private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

  private TopicProvisioner() {}

  /**
   * Creates Ferry's topics that are missing, as the configuration describes them, and registers
   * each topic's value schema under {@code <topic>-value}, so Kafka clients find the contract in
   * the registry before Ferry writes anything (and a schema the registry finds incompatible stops
   * the start, naming the subject). Returns how new topics are replicated on this cluster.
   */
  public static Replication ensureFerryTopics(
      dev.ferry.schemas.config.FerryConfig config, Topics topics) {
    Replication replication;
    try (Admin admin = KafkaClients.admin(config.kafka())) {
      replication = Replication.of(admin, config.kafka(), config.topicReplicationFactor());
      ensure(
          admin,
          topics.newTopics(config.topicPartitions(), replication, config.historyRetentionMs()));
    }
    for (TopicSpec<?> topic : Topics.ALL) {
      topics
          .registry()
          .register(
              dev.ferry.schemas.serde.WireFormat.valueSubject(topics.name(topic)),
              topic.valueSchema());
    }
    return replication;
  }

  /**
   * Creates a worker group's task topic when it is missing and registers its value schema; workers
   * call it before they announce themselves, so the orchestrator only routes to topics that exist.
   */
  public static void ensureTaskTopic(
      dev.ferry.schemas.config.FerryConfig config, Topics topics, String group) {
    try (Admin admin = KafkaClients.admin(config.kafka())) {
      Replication replication =
          Replication.of(admin, config.kafka(), config.topicReplicationFactor());
      ensure(admin, List.of(topics.newTaskTopic(group, config.topicPartitions(), replication)));
    }
    topics
        .registry()
        .register(
            dev.ferry.schemas.serde.WireFormat.valueSubject(topics.tasks(group)),
            Topics.TASKS.valueSchema());
  }

  /**
   * Creates, when missing, a compacted topic of one partition (so its records keep the order they
   * were written in): the log of a part's own state, such as the registry's schemas or the
   * gateways' bulk jobs. Replicated as {@link Replication} decides for the cluster.
   */
  public static void ensureCompactedLog(
      dev.ferry.schemas.config.KafkaSettings kafka, String topic) {
    try (Admin admin = KafkaClients.admin(kafka)) {
      ensure(
          admin,
          List.of(
              Replication.of(admin, kafka, Replication.FROM_CLUSTER)
                  .newTopic(topic, 1, java.util.Map.of("cleanup.policy", "compact"))));
    }
  }

  public static void ensure(Admin admin, List<NewTopic> wanted) {
    try {
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> missing = new ArrayList<>();
      for (NewTopic topic : wanted) {
        if (!existing.contains(topic.name())) {
          missing.add(topic);
        }
      }
      if (missing.isEmpty()) {
        return;
      }
      for (var entry : admin.createTopics(missing).values().entrySet()) {
        try {
          entry.getValue().get();
          LOG.info("created topic {}", entry.getKey());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException(
                "cannot create topic " + entry.getKey() + ": " + e.getCause().getMessage(),
                e.getCause());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot list topics: " + e.getCause().getMessage(), e);
    }
  }
}
