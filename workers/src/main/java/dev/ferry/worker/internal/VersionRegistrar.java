package dev.ferry.worker.internal;

import dev.ferry.schemas.KafkaClients;
import dev.ferry.schemas.Names;
import dev.ferry.schemas.TopicFollower;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.WorkflowKey;
import dev.ferry.schemas.avro.WorkflowVersion;
import dev.ferry.schemas.config.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes the builds a worker hosts to the versions topic, once per account, when the worker
 * starts; this is how workflows appear in the management API. A version seen before keeps its first
 * registration time, so the API's {@code created_on} stays put across worker restarts.
 */
public final class VersionRegistrar {
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  /** What to register: workflow name → its class. */
  public record Build(String workflow, Class<?> type) {}

  private VersionRegistrar() {}

  public static List<WorkflowVersion> register(
      KafkaSettings kafka,
      Topics topics,
      List<Build> builds,
      List<String> accounts,
      String scriptName,
      String workerId,
      long now) {
    for (String account : accounts) {
      Names.checkAccount(account)
          .ifPresent(
              problem -> {
                throw new IllegalArgumentException("worker.accounts: " + problem);
              });
    }
    Map<String, Long> firstSeen = existingVersions(kafka, topics);
    List<WorkflowVersion> versions = new ArrayList<>();
    for (Build build : builds) {
      String versionId = VersionIds.of(build.workflow(), build.type());
      for (String account : accounts) {
        String key = key(account, build.workflow(), versionId);
        versions.add(
            WorkflowVersion.newBuilder()
                .setAccount(account)
                .setWorkflow(build.workflow())
                .setVersionId(versionId)
                .setClassName(build.type().getName())
                .setScriptName(scriptName)
                .setCreatedOn(firstSeen.getOrDefault(key, now))
                .setRegisteredAt(now)
                .setWorkerId(workerId)
                .build());
      }
    }
    try (KafkaProducer<String, WorkflowVersion> producer =
        new KafkaProducer<>(
            KafkaClients.reliableProducer(kafka, "ferry-worker-" + workerId + "-versions"),
            new StringSerializer(),
            topics.serde(Topics.VERSIONS).serializer())) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (WorkflowVersion version : versions) {
        sent.add(
            producer.send(
                new ProducerRecord<>(
                    topics.name(Topics.VERSIONS),
                    key(version.getAccount(), version.getWorkflow(), version.getVersionId()),
                    version)));
      }
      for (Future<RecordMetadata> ack : sent) {
        ack.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot register workflow versions", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while registering workflow versions", e);
    }
    return versions;
  }

  static String key(String account, String workflow, String versionId) {
    return WorkflowKey.of(account, workflow).child(versionId);
  }

  private static Map<String, Long> existingVersions(KafkaSettings kafka, Topics topics) {
    Map<String, Long> firstSeen = new ConcurrentHashMap<>();
    try (TopicFollower follower =
        TopicFollower.follow(kafka, "ferry-worker-versions-reader", topics)
            .on(
                Topics.VERSIONS,
                (key, version) -> {
                  if (version != null) {
                    firstSeen.merge(key, version.getCreatedOn(), Math::min);
                  }
                })
            .start()) {
      if (!follower.awaitCaughtUp(READ_TIMEOUT)) {
        throw new IllegalStateException(
            "cannot read " + topics.name(Topics.VERSIONS) + " within " + READ_TIMEOUT);
      }
    }
    return firstSeen;
  }
}
