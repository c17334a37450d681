package dev.ferry.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The SDK's defaults against {@code contract/limits.json}, which the Python SDK reads too. */
class SdkContractTest {
  @Test
  void shouldDefaultStepsAndWaitsAsTheSharedTableSays() throws IOException {
    JsonNode limits =
        new ObjectMapper().readTree(Path.of("..", "contract", "limits.json").toFile());

    assertThat(StepConfig.DEFAULT_RETRY_LIMIT).isEqualTo(limits.get("defaultRetryLimit").asInt());
    assertThat(StepConfig.DEFAULT_RETRY_DELAY.toMillis())
        .isEqualTo(limits.get("defaultRetryDelayMs").asLong());
    assertThat(StepConfig.DEFAULT_BACKOFF.name()).isEqualTo(limits.get("defaultBackoff").asText());
    assertThat(StepConfig.DEFAULT_TIMEOUT.toMillis())
        .isEqualTo(limits.get("defaultTimeoutMs").asLong());
    assertThat(WaitOptions.DEFAULT_TIMEOUT.toMillis())
        .isEqualTo(limits.get("defaultWaitTimeoutMs").asLong());
    assertThat(NonDeterminismError.NAME)
        .isEqualTo(limits.get("errorNames").get("nonDeterminism").asText());
  }
}
