package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.examples.Examples;
import dev.ferry.orchestrator.OrchestratorConfig;
import dev.ferry.schemas.config.FerryConfig;
import dev.ferry.worker.WorkerConfig;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The running limit end to end: one running instance per workflow, the next one queued. */
class AdmissionIT {

  @Test
  void shouldAnswer429BeyondTheCreationRateOfAWorkflow() throws Exception {
    try (DevStack stack =
        DevStack.start(
            new DevStack.Options(
                Files.createTempDirectory("ferry-rate-it"),
                0,
                0,
                0,
                Map.of(
                    dev.ferry.gateway.GatewayConfig.CREATE_RATE, 2, WorkerConfig.ACCOUNTS, "acct")),
            Examples.registry())) {
      Api api = Api.of(stack, "acct");
      java.util.List<Api.Response> responses = new java.util.ArrayList<>();
      for (int i = 0; i < 6; i++) {
        responses.add(api.create("three-steps", "{\"params\":{\"value\":1}}"));
      }

      assertThat(responses.subList(0, 2)).allMatch(r -> r.status() == 201);
      java.util.List<Api.Response> limited =
          responses.stream().filter(r -> r.status() == 429).toList();
      assertThat(limited).isNotEmpty();
      assertThat(limited)
          .allMatch(r -> r.body().path("errors").path(0).path("code").asInt() == 10429);
    }
  }

  @Test
  void shouldKeepInstancesQueuedBeyondTheLimitAndStartThemWhenASlotFrees() throws Exception {
    try (DevStack stack =
        DevStack.start(
            new DevStack.Options(
                Files.createTempDirectory("ferry-admission-it"),
                0,
                0,
                0,
                Map.of(
                    FerryConfig.TOPIC_PARTITIONS,
                    1,
                    OrchestratorConfig.MAX_RUNNING,
                    1L,
                    WorkerConfig.ACCOUNTS,
                    "acct")),
            Examples.registry().register("gated", ControlIT.GatedWorkflow.class))) {
      Api api = Api.of(stack, "acct");
      api.create("gated", "{\"instance_id\":\"slot-1\"}");
      assertThat(
              ControlIT.ENTERED
                  .computeIfAbsent("slot-1", k -> new CountDownLatch(1))
                  .await(30, java.util.concurrent.TimeUnit.SECONDS))
          .isTrue();

      Api.Response second = api.create("gated", "{\"instance_id\":\"slot-2\"}");

      assertThat(second.result().path("status").asText()).isEqualTo("queued");
      assertThat(api.get("gated", "slot-2").result().path("start").isNull()).isTrue();
      ControlIT.GATES.computeIfAbsent("slot-2", k -> new CountDownLatch(1)).countDown();
      ControlIT.GATES.computeIfAbsent("slot-1", k -> new CountDownLatch(1)).countDown();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> api.status("gated", "slot-2").equals("complete"));
      Instant firstEnded = Instant.parse(api.get("gated", "slot-1").result().path("end").asText());
      Instant secondStarted =
          Instant.parse(api.get("gated", "slot-2").result().path("start").asText());
      assertThat(secondStarted).isAfterOrEqualTo(firstEnded);
    }
  }
}
