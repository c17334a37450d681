package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.examples.Examples;
import dev.ferry.orchestrator.OrchestratorConfig;
import dev.ferry.worker.WorkerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A quiet orchestrator commits right after each input. With a commit interval of 8 s, what it
 * writes (the create's answer, the activation, the complete status) would become readable only at
 * the next interval, so an instance would take two of them, 8 s or more; committed eagerly, each of
 * five instances one after the other is created, run and seen complete within 5 s. The same holds
 * for what a timer firing writes: an instance that sleeps three times completes within 5 s.
 */
class EagerCommitsIT {
  @Test
  void shouldCommitEachInputOfAQuietOrchestratorWithoutWaitingForTheInterval(@TempDir Path dir)
      throws Exception {
    Map<String, Object> settings =
        Map.of(
            OrchestratorConfig.COMMIT_INTERVAL_MS,
            8_000L,
            WorkerConfig.ACCOUNTS,
            BenchLoad.ACCOUNT,
            dev.ferry.gateway.GatewayConfig.CREATE_RATE,
            1_000);
    try (DevStack stack =
            TestStacks.start(
                dir,
                Examples.registry().register(BenchStepsWorkflow.NAME, BenchStepsWorkflow.class),
                settings);
        BenchLoad load = new BenchLoad(stack)) {
      List<Long> latencies = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        latencies.add(load.startAndAwait().get(5, TimeUnit.SECONDS));
      }

      assertThat(latencies).hasSize(5).allSatisfy(ns -> assertThat(ns).isPositive());

      // Three sleeps of 1 ms: each wakes by a timer, and the activation it starts is committed
      // at once too, not at the next interval.
      long sleeper =
          load.startAndAwait(
                  BenchStepsWorkflow.NAME,
                  "{\"steps\":4,\"sleepEvery\":1}",
                  java.time.Duration.ofSeconds(60))
              .get(5, TimeUnit.SECONDS);
      assertThat(sleeper).isPositive();
    }
  }
}
