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
  void shouldMeasureTheTimePerStepOfALongInstanceWithSleepsAndTheBytesItWrote(@TempDir Path dir)
      throws Exception {
    Path out = dir.resolve("steps.json");

    int exit =
        FerryCommand.commandLine()
            .execute(
                "bench",
                "steps",
                "--warmup-seconds",
                "0",
                "--steps",
                "400",
                "--sleep-every",
                "40",
                "--out",
                out.toString());

    assertThat(exit).isZero();
    JsonNode steps = Json.mapper().readTree(Files.readString(out)).path("steps");
    assertThat(steps.path("steps").asInt()).isEqualTo(400);
    // Three windows (start, middle, end), each of ten sleep periods at most.
    assertThat(steps.path("ms_per_step_median").size()).isEqualTo(3);
    steps
        .path("ms_per_step_mean")
        .forEach(ms -> assertThat(ms.asDouble()).isPositive().isLessThan(1_000));
    // Nine sleeps, each timed from the step before it to the step after it.
    assertThat(steps.path("sleeps").path("last_step_to_sleep_end_p50_ms").asDouble()).isPositive();
    assertThat(steps.path("sleeps").path("sleep_end_to_next_step_p50_ms_last_quarter").asDouble())
        .isPositive();
    // Each step's outcome goes to the results topic and from there to the history topic.
    JsonNode byTopic = steps.path("bytes_per_step_by_topic");
    assertThat(byTopic.path("workflows.results").asDouble()).isPositive();
    assertThat(byTopic.path("workflows.history").asDouble()).isPositive();
    assertThat(steps.path("bytes_per_step").asDouble())
        .isGreaterThan(byTopic.path("workflows.history").asDouble());
  }

  @Test
  void shouldWakeEveryWaitingInstanceWithItsEventAndTimeEach(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("events.json");

    int exit =
        FerryCommand.commandLine()
            .execute(
                "bench",
                "events",
                "--warmup-seconds",
                "0",
                "--instances",
                "300",
                "--rate",
                "200",
                "--out",
                out.toString());

    assertThat(exit).isZero();
    JsonNode events = Json.mapper().readTree(Files.readString(out)).path("events");
    assertThat(events.path("instances").asInt()).isEqualTo(300);
    assertThat(events.path("created_per_second").asLong()).isPositive();
    // The events went out on schedule: 300 at 200 a second take about 1.5 s.
    assertThat(events.path("events_per_second_sent").asLong()).isBetween(150L, 210L);
    JsonNode answer = events.path("event_to_answer_ms");
    JsonNode complete = events.path("event_to_complete_ms");
    assertThat(answer.path("p50_ms").asDouble()).isPositive();
    assertThat(complete.path("p50_ms").asDouble())
        .isPositive()
        .isLessThanOrEqualTo(complete.path("p99_ms").asDouble());
  }

  @Test
  void shouldRefuseMoreStepsThanTheOrchestratorAllowsNamingTheOption() {
    var err = new java.io.StringWriter();
    var commandLine = FerryCommand.commandLine();
    commandLine.setErr(new java.io.PrintWriter(err));

    int exit = commandLine.execute("bench", "steps", "--steps", "10001");

    assertThat(exit).isNotZero();
    assertThat(err.toString())
        .contains("--steps must be at most orchestrator.max.steps.per.instance, 10000");
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
