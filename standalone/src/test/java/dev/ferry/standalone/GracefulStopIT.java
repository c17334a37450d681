package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.examples.Examples;
import dev.ferry.schemas.KafkaClients;
import dev.ferry.schemas.config.FerryConfig;
import dev.ferry.worker.WorkerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to a worker process that is running a step: the step finishes and its report is sent
 * before the process ends, so the instance completes with one attempt although no other worker
 * hosts its workflow, and the worker leaves its group instead of waiting for its session to end.
 */
class GracefulStopIT {
  private static final String SOURCE =
      """
      package slow;

      import dev.ferry.workflows.WorkflowEntrypoint;
      import dev.ferry.workflows.WorkflowEvent;
      import dev.ferry.workflows.WorkflowStep;
      import java.nio.file.Files;
      import java.nio.file.Path;
      import java.util.concurrent.locks.LockSupport;

      /** One step that tells it has started (a file), then works for three seconds. */
      public final class Slow extends WorkflowEntrypoint<Slow.Params, String> {
        public record Params(String marker) {}

        @Override
        public String run(WorkflowEvent<Params> event, WorkflowStep step) {
          return step.run("work", () -> {
            try {
              Files.writeString(Path.of(event.payload().marker()), "started");
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
            LockSupport.parkNanos(3_000_000_000L);
            return "done";
          });
        }
      }
      """;

  @Test
  void shouldFinishTheRunningStepAndLeaveTheGroupOnSigterm(@TempDir Path dir) throws Exception {
    Path jar = compile(dir.resolve("build"));
    try (DevStack stack = TestStacks.start(dir.resolve("stack"), Examples.registry());
        Admin admin = KafkaClients.admin(stack.kafkaSettings())) {
      ProcessBuilder builder =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  FerryCommand.class.getName(),
                  "worker",
                  "--group",
                  "slowpokes",
                  "--classpath",
                  jar.toString(),
                  "--workflow",
                  "slow=slow.Slow")
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("worker.log").toFile());
      Map<String, String> env = builder.environment();
      env.put(BenchGateway.envName(FerryConfig.KAFKA_BOOTSTRAP_SERVERS), stack.bootstrapServers());
      env.put(BenchGateway.envName(FerryConfig.SCHEMA_REGISTRY_URL), stack.registryUrl());
      env.put(BenchGateway.envName(WorkerConfig.ACCOUNTS), "acct");
      env.put(BenchGateway.envName(WorkerConfig.ADMIN_PORT), "-1");
      // A session far longer than the waits below: a member gone within them left its group.
      env.put(BenchGateway.envName(WorkerConfig.SESSION_TIMEOUT_MS), "60000");
      Process worker = builder.start();
      try {
        Api api = Api.of(stack, "acct");
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> api.call("GET", "workflows/slow", null).status() == 200);
        Path marker = dir.resolve("started");
        assertThat(
                api.create(
                        "slow",
                        "{\"instance_id\":\"s-1\",\"params\":{\"marker\":\""
                            + marker.toString().replace("\\", "\\\\")
                            + "\"}}")
                    .status())
            .isEqualTo(201);
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(marker));

        worker.destroy(); // SIGTERM, with the step running

        assertThat(worker.waitFor(30, TimeUnit.SECONDS)).as("the worker ended").isTrue();
        assertThat(Files.readString(dir.resolve("worker.log"))).contains("Stopping Ferry...");
        assertThat(members(admin, "slowpokes")).as("left its group").isEmpty();
        JsonNode done = api.awaitStatus("slow", "s-1", "complete");
        assertThat(done.path("output").asText()).isEqualTo("done");
        JsonNode step = done.path("steps").get(0);
        assertThat(step.path("name").asText()).isEqualTo("work");
        assertThat(step.path("attempts").size()).isEqualTo(1);
      } finally {
        worker.destroyForcibly();
      }
    }
  }

  private static List<?> members(Admin admin, String group) throws Exception {
    return List.copyOf(
        admin.describeConsumerGroups(List.of(group)).all().get().get(group).members());
  }

  /** The workflow above compiled against this test's classpath (which holds the SDK), in a jar. */
  private static Path compile(Path dir) throws Exception {
    Path source = Files.createDirectories(dir.resolve("src").resolve("slow")).resolve("Slow.java");
    Files.writeString(source, SOURCE);
    return TestJars.build(dir, "slow.jar", List.of(source));
  }
}
