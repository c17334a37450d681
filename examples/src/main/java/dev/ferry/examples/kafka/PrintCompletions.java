package dev.ferry.examples.kafka;

import dev.ferry.schemas.avro.InstanceSnapshot;
import dev.ferry.schemas.avro.InstanceStatusCode;
import dev.ferry.schemas.registry.SchemaRegistryClients;
import dev.ferry.schemas.serde.ConfluentAvroDeserializer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reacts to finished instances by subscribing to the public, compacted {@code workflows.status}
 * topic (one snapshot per change of an instance; docs/kafka.md). Run it: {@code java -cp
 * standalone/target/ferry.jar dev.ferry.examples.kafka.PrintCompletions}.
 */
public final class PrintCompletions {
  public static final String STATUS = "workflows.status";

  private PrintCompletions() {}

  /** Polls until {@code keepGoing} is false, handing each finished instance's snapshot on. */
  public static void follow(
      String bootstrapServers,
      String registryUrl,
      String groupId,
      java.util.function.BooleanSupplier keepGoing,
      Consumer<InstanceSnapshot> onFinished) {
    try (KafkaConsumer<String, InstanceSnapshot> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG,
                groupId,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                // The orchestrator writes in transactions: read only what it committed.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new StringDeserializer(),
            new ConfluentAvroDeserializer<>(
                SchemaRegistryClients.forUrl(registryUrl), InstanceSnapshot.getClassSchema()))) {
      consumer.subscribe(List.of(STATUS));
      while (keepGoing.getAsBoolean()) {
        for (ConsumerRecord<String, InstanceSnapshot> record :
            consumer.poll(Duration.ofMillis(200))) {
          InstanceSnapshot snapshot = record.value();
          if (snapshot != null && isFinished(snapshot.getStatus())) {
            onFinished.accept(snapshot);
          }
        }
      }
    }
  }

  static boolean isFinished(InstanceStatusCode status) {
    return status == InstanceStatusCode.COMPLETE
        || status == InstanceStatusCode.ERRORED
        || status == InstanceStatusCode.TERMINATED;
  }

  public static void main(String[] args) {
    String bootstrap =
        System.getenv().getOrDefault("FERRY_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
    String registry =
        System.getenv().getOrDefault("FERRY_SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081");
    follow(
        bootstrap,
        registry,
        "print-completions",
        () -> true,
        s ->
            System.out.printf(
                "%s/%s/%s %s output=%s error=%s%n",
                s.getAccount(),
                s.getWorkflow(),
                s.getInstanceId(),
                s.getStatus(),
                s.getOutput(),
                s.getError() == null ? null : s.getError().getMessage()));
  }
}
