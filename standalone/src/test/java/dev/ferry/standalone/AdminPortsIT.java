package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.examples.Examples;
import dev.ferry.ops.Observability;
import dev.ferry.orchestrator.Orchestrator;
import dev.ferry.orchestrator.OrchestratorConfig;
import dev.ferry.schemas.config.FerryConfig;
import dev.ferry.worker.WorkerConfig;
import dev.ferry.worker.WorkerRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An orchestrator and a worker started as parts of their own (not in ferry dev) serve /metrics,
 * /livez and /readyz on admin ports. A stack of its own: a second orchestrator joining and leaving
 * rebalances the first, which other tests must not wait through.
 */
class AdminPortsIT {
  private static Path data;
  private static DevStack stack;

  @BeforeAll
  static void start() throws Exception {
    data = Files.createTempDirectory("ferry-admin-ports-it");
    stack = TestStacks.start(data, Examples.registry());
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  private static java.net.http.HttpResponse<String> get(String url) throws Exception {
    return MetricsIT.get(url);
  }

  @Test
  void shouldServeMetricsAndReadinessOnTheAdminPortsOfPartsRunningAlone() throws Exception {
    Map<String, Object> common =
        Map.of(
            FerryConfig.KAFKA_BOOTSTRAP_SERVERS, stack.bootstrapServers(),
            FerryConfig.SCHEMA_REGISTRY_URL, stack.registryUrl(),
            FerryConfig.TOPIC_PARTITIONS, 2);
    Map<String, Object> orchestratorSettings = new java.util.HashMap<>(common);
    orchestratorSettings.put(OrchestratorConfig.ADMIN_PORT, 0);
    orchestratorSettings.put(OrchestratorConfig.STATE_DIR, data.resolve("second").toString());
    Map<String, Object> workerSettings = new java.util.HashMap<>(common);
    workerSettings.put(WorkerConfig.ADMIN_PORT, 0);
    workerSettings.put(WorkerConfig.ACCOUNTS, "acct");
    workerSettings.put(WorkerConfig.WORKER_ID, "alone-1");
    try (Orchestrator orchestrator =
            Orchestrator.start(new OrchestratorConfig(orchestratorSettings, Map.of()));
        WorkerRuntime worker =
            WorkerRuntime.start(
                new WorkerConfig(workerSettings, Map.of()),
                Examples.registry(),
                Observability.create())) {
      String orchestratorAdmin = "http://127.0.0.1:" + orchestrator.adminPort();
      String workerAdmin = "http://127.0.0.1:" + worker.adminPort();
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> get(orchestratorAdmin + "/readyz").statusCode() == 200);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> get(workerAdmin + "/readyz").statusCode() == 200);

      String orchestratorScrape = get(orchestratorAdmin + "/metrics").body();
      String workerScrape = get(workerAdmin + "/metrics").body();
      Files.writeString(Path.of("target", "metrics-orchestrator.txt"), orchestratorScrape);
      Files.writeString(Path.of("target", "metrics-worker.txt"), workerScrape);

      assertThat(get(orchestratorAdmin + "/readyz").body()).contains("Kafka Streams RUNNING");
      assertThat(get(workerAdmin + "/readyz").body()).contains("worker alone-1");
      assertThat(get(workerAdmin + "/livez").statusCode()).isEqualTo(200);
      assertThat(orchestratorScrape)
          .contains("kafka_stream_")
          .contains("jvm_threads_live_threads")
          .contains("ferry_dead_letters_total{reason=\"refused\"}");
      assertThat(workerScrape)
          .contains("ferry_worker_task_lag_records{group=\"ferry-workers\",worker=\"alone-1\"}")
          .contains("kafka_consumer_");
      assertThat(MetricsIT.promtool(orchestratorScrape)).isEmpty();
      assertThat(MetricsIT.promtool(workerScrape)).isEmpty();
    }
    // The parts that stopped took their checks with them: the stack becomes ready again.
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> get(stack.gatewayUrl() + "/readyz").statusCode() == 200);
  }
}
