package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.embedded.EmbeddedKafkaBroker;
import dev.ferry.examples.Examples;
import dev.ferry.gateway.Gateway;
import dev.ferry.gateway.GatewayConfig;
import dev.ferry.gateway.registry.SchemaRegistryServer;
import dev.ferry.orchestrator.Orchestrator;
import dev.ferry.orchestrator.OrchestratorConfig;
import dev.ferry.schemas.config.FerryConfig;
import dev.ferry.worker.WorkerConfig;
import dev.ferry.worker.WorkerRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two orchestrators, two workers and two gateways against one cluster, as separate deployments run
 * them: work is shared, any gateway answers for any instance, and when an orchestrator stops
 * mid-run the other (holding standby copies of its state) finishes its instances, every step run
 * once.
 */
class ScaleOutIT {
  private static final String TOKEN = "scale-out-token-0123";
  private static final int INSTANCES = 24;

  /** Long enough for every instance to be asleep before the first orchestrator stops. */
  private static final int SLEEP_SECONDS = 10;

  @TempDir Path dir;
  private final List<AutoCloseable> parts = new ArrayList<>();
  private EmbeddedKafkaBroker broker;

  @AfterEach
  void stop() throws Exception {
    for (int i = parts.size() - 1; i >= 0; i--) {
      parts.get(i).close();
    }
    broker.close();
  }

  @Test
  void shouldFinishEveryInstanceOnTheOtherOrchestratorWhenOneStopsAndAnswerFromEitherGateway()
      throws Exception {
    broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0);
    SchemaRegistryServer registry =
        SchemaRegistryServer.start(broker.bootstrapServers(), "_ferry-schemas", "127.0.0.1", 0);
    parts.add(registry);
    Map<String, Object> common = new HashMap<>();
    common.put(FerryConfig.KAFKA_BOOTSTRAP_SERVERS, broker.bootstrapServers());
    common.put(FerryConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:" + registry.port());
    common.put(FerryConfig.TOPIC_PARTITIONS, 4);
    common.put(WorkerConfig.ACCOUNTS, "acct");
    common.put(OrchestratorConfig.ADMIN_PORT, -1);
    common.put(WorkerConfig.ADMIN_PORT, -1);
    common.put(OrchestratorConfig.LEASE_MS, TestStacks.LEASE_MS);
    common.put(WorkerConfig.HEARTBEAT_MS, 300L);
    // Both orchestrators run the same queue-style trigger: its source partitions are shared by
    // their consumer group, and move with it.
    Path triggers = dir.resolve("triggers.json");
    Files.writeString(
        triggers,
        """
        {"triggers": [{"name": "orders", "topic": "orders-in", "account": "acct",
          "workflow": "three-steps", "format": "json", "id": {"from": "field", "name": "id"},
          "params": {"from": "field", "name": "body"}}]}
        """);
    common.put(OrchestratorConfig.TRIGGERS_FILE, triggers.toString());

    Orchestrator first = orchestrator(common, 1);
    Orchestrator second = orchestrator(common, 2);
    for (int i = 1; i <= 2; i++) {
      Map<String, Object> worker = new HashMap<>(common);
      worker.put(WorkerConfig.WORKER_ID, "scale-worker-" + i);
      parts.add(WorkerRuntime.start(new WorkerConfig(worker, Map.of()), Examples.registry()));
    }
    List<Api> gateways = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      Map<String, Object> settings = new HashMap<>(common);
      settings.put(GatewayConfig.PORT, 0);
      settings.put(GatewayConfig.AUTH_TOKENS, "acct:" + TOKEN);
      Gateway gateway = Gateway.start(new GatewayConfig(settings, Map.of()));
      parts.add(gateway);
      gateways.add(new Api("http://127.0.0.1:" + gateway.port(), "acct", TOKEN));
    }

    produceOrders(0, 6);
    for (int i = 0; i < INSTANCES; i++) {
      String body =
          "{\"instance_id\":\"s-"
              + i
              + "\",\"params\":{\"name\":\"n"
              + i
              + "\",\"sleepSeconds\":"
              + SLEEP_SECONDS
              + "}}";
      assertThat(gateways.get(i % 2).create("sleepy", body).status()).isEqualTo(201);
    }
    // Every instance past its first step (asleep, or done already on a slow machine); the first
    // orchestrator owns about half of them.
    Map<String, String> statuses = new java.util.TreeMap<>();
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              for (int i = 0; i < INSTANCES; i++) {
                statuses.put("s-" + i, gateways.get((i + 1) % 2).status("sleepy", "s-" + i));
              }
              assertThat(statuses)
                  .allSatisfy((id, status) -> assertThat(status).isIn("waiting", "complete"));
            });
    assertThat(statuses).containsValue("waiting");
    assertThat(orchestratorGroupMembers()).hasSize(2);
    first.close();
    parts.remove(first);
    // Left its group on close: its partitions move now, not when its session times out.
    assertThat(orchestratorGroupMembers()).hasSize(1);
    produceOrders(6, 12); // the trigger goes on, on the other orchestrator

    for (int i = 0; i < INSTANCES; i++) {
      JsonNode done = gateways.get(i % 2).awaitStatus("sleepy", "s-" + i, "complete");
      JsonNode seenByTheOther = gateways.get((i + 1) % 2).get("sleepy", "s-" + i).result();
      assertThat(done.path("output").asText())
          .isEqualTo("Hello, n" + i + "! (slept " + SLEEP_SECONDS + " s)");
      assertThat(seenByTheOther.path("output")).isEqualTo(done.path("output"));
      for (JsonNode step : done.path("steps")) {
        if (step.path("type").asText().equals("step")) {
          assertThat(step.path("attempts")).as("s-" + i + " " + step.path("name")).hasSize(1);
        }
      }
    }
    for (int i = 0; i < 12; i++) {
      assertThat(gateways.get(i % 2).awaitStatus("three-steps", "order-" + i, "complete"))
          .isNotNull();
    }
    assertThat(second.awaitRunning(Duration.ofSeconds(1))).isTrue();
  }

  /** Orders {@code from} to {@code to} (excluded) on the trigger's source topic. */
  private void produceOrders(int from, int to) throws Exception {
    try (var producer =
        new org.apache.kafka.clients.producer.KafkaProducer<>(
            dev.ferry.schemas.KafkaClients.reliableProducer(broker.bootstrapServers(), "orders"),
            new org.apache.kafka.common.serialization.StringSerializer(),
            new org.apache.kafka.common.serialization.StringSerializer())) {
      for (int i = from; i < to; i++) {
        producer
            .send(
                new org.apache.kafka.clients.producer.ProducerRecord<>(
                    "orders-in",
                    "o" + i,
                    "{\"id\":\"order-" + i + "\",\"body\":{\"value\":" + i + "}}"))
            .get();
      }
    }
  }

  private java.util.Collection<org.apache.kafka.clients.admin.MemberDescription>
      orchestratorGroupMembers() throws Exception {
    String group = "ferry-orchestrator"; // orchestrator.application.id's default
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      return admin.describeConsumerGroups(List.of(group)).all().get().get(group).members();
    }
  }

  private Orchestrator orchestrator(Map<String, Object> common, int n) throws Exception {
    Map<String, Object> settings = new HashMap<>(common);
    settings.put(OrchestratorConfig.STATE_DIR, dir.resolve("orchestrator-" + n).toString());
    settings.put(OrchestratorConfig.STANDBY_REPLICAS, 1);
    settings.put(OrchestratorConfig.TRIGGERS_TRANSACTIONAL_ID, "ferry-triggers-" + n);
    Orchestrator orchestrator = Orchestrator.start(new OrchestratorConfig(settings, Map.of()));
    parts.add(orchestrator);
    assertThat(orchestrator.awaitRunning(Duration.ofSeconds(120))).isTrue();
    return orchestrator;
  }
}
