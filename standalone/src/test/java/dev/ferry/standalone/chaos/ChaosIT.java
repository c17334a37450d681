package dev.ferry.standalone.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash suite's smaller form ({@code ./ferry chaos --quick --kill orchestrator,broker} at a low
 * rate): a 3-broker cluster and separate JVMs for every part, an orchestrator killed without and
 * with a standby and a broker killed while instances of every kind run; nothing acknowledged is
 * lost or doubled. The full suite, with worker and gateway kills, is {@code ./ferry chaos}.
 */
class ChaosIT {
  @Test
  void shouldLoseAndDoubleNothingWhenOrchestratorsAndABrokerAreKilledUnderLoad(@TempDir Path dir)
      throws Exception {
    ChaosVerdict verdict =
        ChaosRun.run(
            new ChaosRun.Options(
                dir,
                true,
                Set.of(ChaosTarget.ORCHESTRATOR, ChaosTarget.BROKER),
                2,
                6,
                3_000,
                Duration.ofSeconds(5),
                Duration.ofSeconds(3),
                Duration.ofMinutes(3),
                dir.resolve("chaos-result.json")));

    String report = verdict.render();
    assertThat(verdict.passed()).as(report).isTrue();
    Map<String, Object> figures = verdict.figures();
    assertThat((Integer) figures.get(ChaosInvariants.ACKNOWLEDGED)).as(report).isPositive();
    assertThat(figures.get(ChaosInvariants.COMPLETED))
        .as(report)
        .isEqualTo(figures.get(ChaosInvariants.ACKNOWLEDGED));
    // Orchestrator without a standby, broker, orchestrator with one: each recovered.
    assertThat(figures)
        .as(report)
        .hasEntrySatisfying(
            ChaosInvariants.RECOVERY + "orchestrator-1 (0 standby)",
            seconds -> assertThat(seconds).isNotEqualTo("never"))
        .hasEntrySatisfying(
            ChaosInvariants.RECOVERY + "broker-1",
            seconds -> assertThat(seconds).isNotEqualTo("never"))
        .hasEntrySatisfying(
            ChaosInvariants.RECOVERY + "orchestrator-2 (1 standby)",
            seconds -> assertThat(seconds).isNotEqualTo("never"));
  }
}
