package dev.ferry.orchestrator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ferry.embedded.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a real broker: the transaction of a stream thread whose process left the group is aborted as
 * soon as a rebalance is seen, and the transaction of a live member's thread is left alone.
 */
class OrphanFencerIT {
  private static final String APP = "fencing-app";
  private static final String TOPIC = "fencing-input";

  @Test
  void shouldAbortTheOpenTransactionOfAGoneProcessAndLeaveALiveOnesAlone(@TempDir Path dir)
      throws Exception {
    String dead = UUID.randomUUID().toString();
    String live = UUID.randomUUID().toString();
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0);
        Admin admin = admin(broker)) {
      admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
      try (KafkaProducer<String, String> orphan = openTransaction(broker, APP + "-" + dead + "-1");
          KafkaProducer<String, String> alive = openTransaction(broker, APP + "-" + live + "-1");
          KafkaConsumer<String, String> member = joinGroup(broker, live)) {
        await().until(() -> ongoing(admin).containsAll(List.of(id(dead), id(live))));

        try (OrphanFencer fencer = OrphanFencer.start(admin(broker), APP)) {
          fencer.rebalancing();
          await().until(() -> !ongoing(admin).contains(id(dead)));
        }

        assertThat(ongoing(admin)).contains(id(live));
        assertThatThrownBy(orphan::commitTransaction).isInstanceOf(KafkaException.class);
        alive.commitTransaction(); // its transaction was never touched
      }
    }
  }

  private static String id(String process) {
    return APP + "-" + process + "-1";
  }

  private static List<String> ongoing(Admin admin) throws Exception {
    return admin.listTransactions().all().get().stream()
        .filter(listing -> listing.state() == TransactionState.ONGOING)
        .map(listing -> listing.transactionalId())
        .toList();
  }

  private static Admin admin(EmbeddedKafkaBroker broker) {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
  }

  /** A stream thread's producer mid-transaction, with a timeout no test waits out. */
  private static KafkaProducer<String, String> openTransaction(
      EmbeddedKafkaBroker broker, String transactionalId) {
    KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                transactionalId,
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                600_000),
            new StringSerializer(),
            new StringSerializer());
    producer.initTransactions();
    producer.beginTransaction();
    producer.send(new ProducerRecord<>(TOPIC, "k", transactionalId));
    producer.flush();
    return producer;
  }

  /** The live process's stream thread consumer, in the group under Kafka Streams' client id. */
  private static KafkaConsumer<String, String> joinGroup(
      EmbeddedKafkaBroker broker, String process) {
    KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                APP,
                ConsumerConfig.CLIENT_ID_CONFIG,
                APP + "-" + process + "-StreamThread-1-consumer"),
            new StringDeserializer(),
            new StringDeserializer());
    consumer.subscribe(List.of(TOPIC));
    await()
        .until(
            () -> {
              consumer.poll(Duration.ofMillis(100)); // joins the group
              return !consumer.assignment().isEmpty();
            });
    return consumer;
  }
}
