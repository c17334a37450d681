package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.examples.Examples;
import dev.ferry.examples.SleepyWorkflow;
import dev.ferry.examples.ThreeStepWorkflow;
import dev.ferry.gateway.GatewayConfig;
import dev.ferry.schemas.config.FerryConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway keeps its read model on disk: killed with SIGKILL and started again on the same state
 * directory, it resumes at the positions it saved, reading only the records written since, and
 * answers for everything that happened while it was down.
 */
class GatewayRestartIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void shouldResumeItsSavedReadModelAfterAKillAndSeeWhatHappenedMeanwhile(@TempDir Path dir)
      throws Exception {
    try (DevStack stack = TestStacks.start(dir, Examples.registry())) {
      Api api = Api.of(stack, "acct");
      for (int i = 0; i < 20; i++) {
        assertThat(
                api.create(ThreeStepWorkflow.NAME, "{\"instance_id\":\"before-" + i + "\"}")
                    .status())
            .isEqualTo(201);
      }
      assertThat(
              api.create(
                      SleepyWorkflow.NAME,
                      "{\"instance_id\":\"nap\",\"params\":{\"sleepSeconds\":600}}")
                  .status())
          .isEqualTo(201);
      for (int i = 0; i < 20; i++) {
        api.awaitStatus(ThreeStepWorkflow.NAME, "before-" + i, "complete");
      }
      api.awaitStatus(SleepyWorkflow.NAME, "nap", "waiting");

      Path state = dir.resolve("separate-gateway");
      long readFirst;
      int port = freePort();
      Process first = startGateway(stack, state, port, dir.resolve("first.log"));
      try {
        Api separate = awaitReady(stack, port);
        assertThat(total(separate, ThreeStepWorkflow.NAME)).isEqualTo(20);
        readFirst = recordsRead(port);
        assertThat(readFirst).isPositive();
      } finally {
        first.destroyForcibly().waitFor(); // SIGKILL: no close, no flush
      }

      // While it is down: more instances, and one changes status.
      for (int i = 0; i < 5; i++) {
        assertThat(
                api.create(ThreeStepWorkflow.NAME, "{\"instance_id\":\"during-" + i + "\"}")
                    .status())
            .isEqualTo(201);
        api.awaitStatus(ThreeStepWorkflow.NAME, "during-" + i, "complete");
      }
      assertThat(
              api.changeStatus(SleepyWorkflow.NAME, "nap", "{\"status\":\"terminate\"}").status())
          .isEqualTo(200);
      api.awaitStatus(SleepyWorkflow.NAME, "nap", "terminated");

      Process second = startGateway(stack, state, port, dir.resolve("second.log"));
      try {
        Api separate = awaitReady(stack, port);
        assertThat(total(separate, ThreeStepWorkflow.NAME)).isEqualTo(25);
        assertThat(separate.status(SleepyWorkflow.NAME, "nap")).isEqualTo("terminated");
        assertThat(separate.get(ThreeStepWorkflow.NAME, "before-3").result().path("steps").size())
            .isEqualTo(api.get(ThreeStepWorkflow.NAME, "before-3").result().path("steps").size());
        long readSecond = recordsRead(port);
        assertThat(readSecond).isPositive().isLessThan(readFirst);
      } finally {
        second.destroy();
        second.waitFor();
      }
    }
  }

  private static Process startGateway(DevStack stack, Path state, int port, Path log)
      throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                FerryCommand.class.getName(),
                "gateway")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put(BenchGateway.envName(FerryConfig.KAFKA_BOOTSTRAP_SERVERS), stack.bootstrapServers());
    env.put(BenchGateway.envName(FerryConfig.SCHEMA_REGISTRY_URL), stack.registryUrl());
    env.put(BenchGateway.envName(GatewayConfig.PORT), Integer.toString(port));
    env.put(BenchGateway.envName(GatewayConfig.AUTH_TOKENS), "acct:" + stack.token("acct"));
    env.put(BenchGateway.envName(GatewayConfig.STATE_DIR), state.toString());
    return builder.start();
  }

  private static Api awaitReady(DevStack stack, int port) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> get(port, "/readyz").statusCode() == 200);
    return new Api("http://127.0.0.1:" + port, "acct", stack.token("acct"));
  }

  private static long total(Api api, String workflow) {
    return api.list(workflow, "?per_page=1")
        .body()
        .path("result_info")
        .path("total_count")
        .asLong();
  }

  /** The gateway's own count of records its read model read since it started. */
  private static long recordsRead(int port) throws Exception {
    for (String line : get(port, "/metrics").body().split("\n")) {
      if (line.startsWith("ferry_read_model_records_read_total")) {
        return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError("no ferry_read_model_records_read_total in /metrics");
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
