package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.schemas.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ferry bench read-model}, small: it runs through and writes every figure it promises. */
class ReadModelBenchIT {
  @Test
  void shouldMeasureAGatewayProcessAndWriteItsFigures(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("figures.json");

    int exit =
        FerryCommand.commandLine()
            .execute(
                "bench",
                "read-model",
                "--instances",
                "300",
                "--heap",
                "256m",
                "--out",
                out.toString());

    assertThat(exit).isZero();
    JsonNode figures = Json.mapper().readTree(Files.readString(out));
    assertThat(figures.path("records").asLong()).isEqualTo(300 * 4);
    for (String field :
        new String[] {"cold_start_seconds", "restart_seconds", "restart_after_kill_seconds"}) {
      assertThat(figures.path(field).asDouble()).as(field).isPositive();
    }
    assertThat(figures.path("heap_used_mb").asLong()).isPositive().isLessThan(256);
    assertThat(figures.path("get_instance_ms").path("p50").asDouble()).isPositive();
    // Started again on its saved state, the gateway had nothing new to read.
    assertThat(figures.path("restart_records_read").asLong()).isZero();
    assertThat(figures.path("restart_after_kill_records_read").asLong()).isZero();
  }
}
