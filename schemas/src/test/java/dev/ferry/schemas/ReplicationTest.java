package dev.ferry.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplicationTest {

  @Test
  void shouldGiveThreeCopiesAndTwoInSyncOnAClusterOfThreeOrMoreBrokers() {
    assertThat(Replication.decide(Replication.FROM_CLUSTER, 3))
        .isEqualTo(new Replication((short) 3, 2));
    assertThat(Replication.decide(Replication.FROM_CLUSTER, 9))
        .isEqualTo(new Replication((short) 3, 2));
    assertThat(Replication.decide(Replication.FROM_CLUSTER, 3).topicConfigs())
        .containsEntry("min.insync.replicas", "2");
  }

  @Test
  void shouldGiveOneCopyPerBrokerOnASmallerClusterAndLeaveMinInsyncAlone() {
    assertThat(Replication.decide(Replication.FROM_CLUSTER, 1))
        .isEqualTo(new Replication((short) 1, null));
    assertThat(Replication.decide(Replication.FROM_CLUSTER, 2))
        .isEqualTo(new Replication((short) 2, null));
    assertThat(Replication.decide(Replication.FROM_CLUSTER, 1).topicConfigs()).isEmpty();
  }

  @Test
  void shouldKeepAConfiguredFactor() {
    assertThat(Replication.decide((short) 1, 5)).isEqualTo(new Replication((short) 1, null));
    assertThat(Replication.decide((short) 5, 5)).isEqualTo(new Replication((short) 5, 2));
  }

  @Test
  void shouldCreateEveryFerryTopicReplicatedAsDecidedAndTheHistoryKeptAsConfigured() {
    Topics topics =
        new Topics("t.", dev.ferry.schemas.registry.SchemaRegistryClients.forUrl("mock://r"));

    var created = topics.newTopics(4, Replication.decide(Replication.FROM_CLUSTER, 3), 7_000L);

    assertThat(created)
        .hasSize(Topics.ALL.size() + 1)
        .allSatisfy(
            topic -> {
              assertThat(topic.replicationFactor()).isEqualTo((short) 3);
              assertThat(topic.configs()).containsEntry("min.insync.replicas", "2");
              assertThat(topic.configs()).containsKey("max.message.bytes");
            });
    assertThat(created)
        .filteredOn(topic -> topic.name().equals("t.history"))
        .singleElement()
        .satisfies(topic -> assertThat(topic.configs()).containsEntry("retention.ms", "7000"));
  }
}
