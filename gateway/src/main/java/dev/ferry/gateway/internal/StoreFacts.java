package dev.ferry.gateway.internal;

import dev.ferry.schemas.KafkaClients;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.config.KafkaSettings;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/** Reads from the cluster what {@link StoreValidity} decides on, and saves it with the store. */
final class StoreFacts {
  private static final long WAIT_SECONDS = 30;

  private StoreFacts() {}

  static StoreValidity.Now read(KafkaSettings kafka, Topics topics) {
    List<String> followed = List.of(topics.name(Topics.STATUS), topics.name(Topics.HISTORY));
    try (Admin admin = KafkaClients.admin(kafka)) {
      Map<String, String> facts = new HashMap<>();
      facts.put(StoreValidity.FORMAT, StoreValidity.FORMAT_VERSION);
      facts.put(
          StoreValidity.CLUSTER,
          admin.describeCluster().clusterId().get(WAIT_SECONDS, TimeUnit.SECONDS));
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (TopicDescription topic :
          admin
              .describeTopics(followed)
              .allTopicNames()
              .get(WAIT_SECONDS, TimeUnit.SECONDS)
              .values()) {
        facts.put(StoreValidity.topicFact(topic.name()), topic.topicId().toString());
        topic
            .partitions()
            .forEach(
                p ->
                    latest.put(
                        new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest()));
      }
      Map<TopicPartition, Long> ends = new HashMap<>();
      admin
          .listOffsets(latest)
          .all()
          .get(WAIT_SECONDS, TimeUnit.SECONDS)
          .forEach((partition, info) -> ends.put(partition, info.offset()));
      ConfigResource status = new ConfigResource(ConfigResource.Type.TOPIC, followed.get(0));
      long deleteRetention =
          Long.parseLong(
              admin
                  .describeConfigs(List.of(status))
                  .all()
                  .get(WAIT_SECONDS, TimeUnit.SECONDS)
                  .get(status)
                  .get(TopicConfig.DELETE_RETENTION_MS_CONFIG)
                  .value());
      return new StoreValidity.Now(facts, ends, System.currentTimeMillis(), deleteRetention);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the topics of the read model", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot read the status and history topics' ids and ends for the read model: " + e, e);
    }
  }

  /** Saves the facts that hold now, so the next start can compare. */
  static void save(InstanceStore store, StoreValidity.Now now) {
    try (WriteBatch batch = new WriteBatch()) {
      for (Map.Entry<String, String> fact : now.facts().entrySet()) {
        batch.put(StoreKeys.meta(fact.getKey()), fact.getValue().getBytes(StandardCharsets.UTF_8));
      }
      store.write(batch);
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot save the read model's facts: " + e.getMessage(), e);
    }
  }
}
