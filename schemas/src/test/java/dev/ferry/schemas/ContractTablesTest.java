package dev.ferry.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.schemas.avro.Backoff;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The shared tables in {@code contract/} (also read by the Python suite), against the Java code:
 * one behaviour in two languages.
 */
class ContractTablesTest {
  static JsonNode table(String name) throws IOException {
    return new ObjectMapper().readTree(Path.of("..", "contract", name).toFile());
  }

  @Test
  void shouldParseEveryDurationOfTheSharedTableAsItSays() throws IOException {
    JsonNode table = table("durations.json");

    for (JsonNode row : table.get("parse")) {
      assertThat(DurationGrammar.parse(row.get(0).asText()))
          .as(row.get(0).asText())
          .isEqualTo(Duration.ofMillis(row.get(1).asLong()));
    }
    for (JsonNode row : table.get("millisOrText")) {
      assertThat(DurationGrammar.parseMillisOrText(row.get(0).asText()))
          .isEqualTo(Duration.ofMillis(row.get(1).asLong()));
    }
    for (JsonNode text : table.get("invalid")) {
      assertThatThrownBy(() -> DurationGrammar.parse(text.asText()))
          .as(text.asText())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("\"" + text.asText() + "\"");
    }
    for (JsonNode text : table.get("tooLarge")) {
      assertThatThrownBy(() -> DurationGrammar.parseMillisOrText(text.asText()))
          .hasMessageContaining("too large");
    }
    assertThat(DurationGrammar.MAX_LENGTH).isEqualTo(table.get("maxLength").asInt());
  }

  @Test
  void shouldWaitBeforeEachRetryAsTheSharedTableSays() throws IOException {
    for (JsonNode row : table("retry-delays.json").get("cases")) {
      assertThat(
              WakeTimes.retryDelayMillis(
                  Backoff.valueOf(row.get("backoff").asText()),
                  row.get("delayMs").asLong(),
                  row.get("attemptsMade").asInt()))
          .as(row.toString())
          .isEqualTo(row.get("waitMs").asLong());
    }
  }

  @Test
  void shouldHoldTheLimitsAndErrorNamesOfTheSharedTable() throws IOException {
    JsonNode limits = table("limits.json");

    assertThat(Limits.MAX_PAYLOAD_BYTES).isEqualTo(limits.get("maxPayloadBytes").asInt());
    assertThat(Limits.DEFAULT_MAX_STEPS).isEqualTo(limits.get("defaultMaxSteps").asInt());
    assertThat(Limits.MAX_RETRY_LIMIT).isEqualTo(limits.get("maxRetryLimit").asInt());
    assertThat(Limits.MAX_SLEEP.toMillis()).isEqualTo(limits.get("maxSleepMs").asLong());
    assertThat(RecordSizes.MAX_ERROR_MESSAGE_CHARS)
        .isEqualTo(limits.get("maxErrorMessageChars").asInt());
    assertThat(RecordSizes.PAGE_CHARS).isEqualTo(limits.get("pageChars").asInt());
    JsonNode names = limits.get("errorNames");
    assertThat(ErrorNames.INTERNAL).isEqualTo(names.get("internal").asText());
    assertThat(ErrorNames.TIMEOUT).isEqualTo(names.get("timeout").asText());
    assertThat(ErrorNames.LIMIT).isEqualTo(names.get("limit").asText());
    assertThat(ErrorNames.NON_RETRYABLE).isEqualTo(names.get("nonRetryable").asText());
    assertThat(ErrorNames.INVALID_PARAMS).isEqualTo(names.get("invalidParams").asText());
  }
}
