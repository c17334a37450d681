package dev.ferry.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The client's "retries at" uses the engine's delays: the shared table in {@code contract/}. */
class RetryDelayTest {
  @Test
  void shouldWaitBeforeEachRetryAsTheSharedTableSays() throws IOException {
    JsonNode table =
        new ObjectMapper().readTree(Path.of("..", "contract", "retry-delays.json").toFile());

    assertThat(table.get("cases")).isNotEmpty();
    for (JsonNode row : table.get("cases")) {
      assertThat(
              RetryDelay.after(
                  row.get("attemptsMade").asInt(),
                  Duration.ofMillis(row.get("delayMs").asLong()),
                  row.get("backoff").asText()))
          .as(row.toString())
          .isEqualTo(Duration.ofMillis(row.get("waitMs").asLong()));
    }
  }
}
