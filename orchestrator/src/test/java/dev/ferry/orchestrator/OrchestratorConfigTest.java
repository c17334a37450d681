package dev.ferry.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.schemas.config.FerryConfig;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class OrchestratorConfigTest {

  @Test
  void shouldRefuseARetentionThatOutlivesTheHistoryItsStepsAreReadFrom() {
    assertThatThrownBy(
            () ->
                new OrchestratorConfig(
                    Map.of(
                        OrchestratorConfig.DEFAULT_RETENTION_MS,
                        10 * 86_400_000L,
                        FerryConfig.TOPIC_HISTORY_RETENTION_MS,
                        7 * 86_400_000L),
                    Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("orchestrator.default.retention.ms")
        .hasMessageContaining("topic.history.retention.ms");
  }

  @Test
  void shouldKeepHistoryLongerThanInstancesByDefault() {
    OrchestratorConfig config = new OrchestratorConfig(Map.of(), Map.of());

    assertThat(config.historyRetentionMs())
        .isGreaterThan(config.getLong(OrchestratorConfig.DEFAULT_RETENTION_MS));
  }
}
