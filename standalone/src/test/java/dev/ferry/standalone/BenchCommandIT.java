package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.schemas.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ferry bench}, small: both scenarios run through and write every figure they print. */
class BenchCommandIT {
  @Test
  void shouldMeasureLatencyWithItsHopsAndThroughputAndWriteTheFigures(@TempDir Path dir)
      throws Exception {
    Path out = dir.resolve("figures.json");

    int exit =
        FerryCommand.commandLine()
            .execute(
                "bench",
                "--warmup-seconds",
                "2",
                "--samples",
                "20",
                "--seconds",
                "3",
                "--concurrency",
                "8",
                "--trace",
                "--out",
                out.toString());

    assertThat(exit).isZero();
    JsonNode figures = Json.mapper().readTree(Files.readString(out));
    assertThat(figures.path("configuration").path("processing_guarantee").asText())
        .isEqualTo("exactly_once_v2");
    JsonNode latency = figures.path("latency");
    assertThat(latency.path("samples").asInt()).isEqualTo(20);
    double p50 = latency.path("p50_ms").asDouble();
    assertThat(p50).isPositive().isLessThanOrEqualTo(latency.path("p99_ms").asDouble());
    // Every hop of every sample was seen, and the hops' medians add up to about the whole.
    double hops = 0;
    for (HopTrace.Mark mark : HopTrace.Mark.values()) {
      JsonNode hop = latency.path("hops").path(mark.name().toLowerCase(java.util.Locale.ROOT));
      assertThat(hop.path("n").asInt()).as(mark.name()).isEqualTo(20);
      hops += hop.path("p50_ms").asDouble();
    }
    assertThat(hops).isBetween(p50 * 0.5, p50 * 1.5);
    JsonNode throughput = figures.path("throughput");
    assertThat(throughput.path("completed").asLong()).isPositive();
    assertThat(throughput.path("completed_per_second").asLong()).isPositive();
    assertThat(throughput.path("cpu_cores_used").asDouble()).isPositive();
    assertThat(throughput.path("hops_under_load").path("report_written").path("n").asLong())
        .isEqualTo(throughput.path("completed").asLong());
  }

  @Test
  void shouldRefuseANonPositiveSampleCountNamingTheOption() {
    var err = new java.io.StringWriter();
    var commandLine = FerryCommand.commandLine();
    commandLine.setErr(new java.io.PrintWriter(err));

    int exit = commandLine.execute("bench", "latency", "--samples", "0");

    assertThat(exit).isNotZero();
    assertThat(err.toString()).contains("--samples must be at least 1");
  }
}
