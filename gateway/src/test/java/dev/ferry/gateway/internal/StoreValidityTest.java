package dev.ferry.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class StoreValidityTest {
  private static final TopicPartition STATUS = new TopicPartition("workflows.status", 0);
  private static final long DAY = 86_400_000L;
  private static final long NOW = 10 * DAY;

  private static final Map<String, String> FACTS =
      Map.of(
          StoreValidity.FORMAT,
          StoreValidity.FORMAT_VERSION,
          StoreValidity.CLUSTER,
          "cluster-1",
          StoreValidity.topicFact("workflows.status"),
          "id-1");

  private static StoreValidity.Now now(long end) {
    return new StoreValidity.Now(FACTS, Map.of(STATUS, end), NOW, DAY);
  }

  private static Map<String, String> saved(long writtenAt) {
    Map<String, String> saved = new HashMap<>(FACTS);
    saved.put(StoreValidity.WRITTEN_AT, Long.toString(writtenAt));
    return saved;
  }

  @Test
  void resumesAStoreSavedRecentlyFromTheSameTopics() {
    assertThat(StoreValidity.whyNotResume(saved(NOW - 1000), Map.of(STATUS, 40L), now(50)))
        .isEmpty();
  }

  @Test
  void readsAgainWhenNothingWasSaved() {
    assertThat(StoreValidity.whyNotResume(Map.of(), Map.of(), now(50)))
        .contains("nothing was saved yet");
  }

  @Test
  void readsAgainWhenTheTopicWasCreatedAnew() {
    Map<String, String> saved = saved(NOW - 1000);
    saved.put(StoreValidity.topicFact("workflows.status"), "id-0");

    assertThat(StoreValidity.whyNotResume(saved, Map.of(STATUS, 40L), now(50)))
        .contains("topic workflows.status was created anew since");
  }

  @Test
  void readsAgainForAnotherClusterOrAnotherStoreFormat() {
    Map<String, String> cluster = saved(NOW - 1000);
    cluster.put(StoreValidity.CLUSTER, "cluster-0");
    Map<String, String> format = saved(NOW - 1000);
    format.put(StoreValidity.FORMAT, "0:old");

    assertThat(StoreValidity.whyNotResume(cluster, Map.of(), now(50)).orElseThrow())
        .contains("another Kafka cluster");
    assertThat(StoreValidity.whyNotResume(format, Map.of(), now(50)).orElseThrow())
        .contains("stores instances differently");
  }

  @Test
  void readsAgainWhenSavedLongerAgoThanDeletionsAreKept() {
    assertThat(
            StoreValidity.whyNotResume(saved(NOW - DAY - 1), Map.of(STATUS, 40L), now(50))
                .orElseThrow())
        .contains("delete.retention.ms");
  }

  @Test
  void readsAgainWhenASavedPositionLiesPastThePartitionsEnd() {
    assertThat(
            StoreValidity.whyNotResume(saved(NOW - 1000), Map.of(STATUS, 60L), now(50))
                .orElseThrow())
        .contains("past the partition's end 50");
  }
}
