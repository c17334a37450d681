package dev.ferry.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.embedded.junit.KafkaTestCluster;
import dev.ferry.schemas.KafkaClients;
import dev.ferry.schemas.TopicProvisioner;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.avro.InstanceSnapshot;
import dev.ferry.schemas.avro.InstanceStatusCode;
import dev.ferry.schemas.registry.SchemaRegistryClients;
import java.time.Duration;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaTestCluster.class)
class ReadModelWarmupIT {
  private static final int INSTANCES = 5_000;

  @Test
  void shouldCountAsCaughtUpOnlyOnceEverythingThereAtStartIsRead(KafkaTestCluster.Bootstrap kafka)
      throws Exception {
    Topics topics =
        new Topics(
            "warmup-" + UUID.randomUUID() + ".",
            SchemaRegistryClients.forUrl("mock://warmup-" + UUID.randomUUID()));
    try (Admin admin = Admin.create(java.util.Map.of("bootstrap.servers", kafka.servers()))) {
      TopicProvisioner.ensure(
          admin, topics.newTopics(2, new dev.ferry.schemas.Replication((short) 1, null), 60_000L));
    }
    String status = topics.name(Topics.STATUS);
    try (var producer =
        new KafkaProducer<>(
            KafkaClients.reliableProducer(kafka.servers(), "warmup-it"),
            new StringSerializer(),
            topics.serde(Topics.STATUS).serializer())) {
      // Every send is confirmed: the topics are new, and a send that timed out would leave the
      // topics shorter than the test counts on.
      var sent = new java.util.ArrayList<java.util.concurrent.Future<?>>();
      for (int i = 0; i < INSTANCES; i++) {
        sent.add(producer.send(new ProducerRecord<>(status, "acct/wf/i-" + i, snapshot("i-" + i))));
      }
      for (var each : sent) {
        each.get();
      }
    }

    try (InstanceReadModel readModel = new InstanceReadModel(kafka.servers(), topics)) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(1))
          .until(() -> readModel.follower().hasCaughtUpOnce());

      assertThat(readModel.list("acct", "wf")).hasSize(INSTANCES);
      assertThat(readModel.follower().startupProgress())
          .isEqualTo(INSTANCES + " of " + INSTANCES + " records read");
    }
  }

  private static InstanceSnapshot snapshot(String id) {
    return InstanceSnapshot.newBuilder()
        .setAccount("acct")
        .setWorkflow("wf")
        .setInstanceId(id)
        .setStatus(InstanceStatusCode.RUNNING)
        .setParams("{}")
        .setQueuedAt(1L)
        .setVersionId("v1")
        .setUpdatedAt(1L)
        .build();
  }
}
