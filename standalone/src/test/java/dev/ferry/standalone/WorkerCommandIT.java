package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.examples.Examples;
import dev.ferry.worker.WorkerConfig;
import dev.ferry.worker.WorkerRuntime;
import dev.ferry.worker.WorkflowRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ferry worker --group --classpath --workflow}: a user's own class, compiled against the SDK
 * only, hosted beside the stack's examples without touching Ferry's code.
 */
class WorkerCommandIT {
  /** The example project a user builds on their own (examples/greetings), compiled here. */
  private static final Path EXAMPLE =
      Path.of("..", "examples", "greetings", "src", "main", "java", "com", "example", "greetings");

  private static final String GREET = "com.example.greetings.Greet";

  @Test
  void shouldHostAClassFromAJarNamedOnTheCommandLineBesideTheExamples(@TempDir Path dir)
      throws IOException {
    Path jar = compileToJar(dir.resolve("build"));
    try (DevStack stack = TestStacks.start(dir.resolve("stack"), Examples.registry())) {
      ServiceCommands.WorkerCommand command = new ServiceCommands.WorkerCommand();
      new CommandLine(command)
          .parseArgs(
              "--group", "greeters", "--classpath", jar.toString(), "--workflow", "greet=" + GREET);
      WorkflowRegistry hosted =
          command.hosted(WorkerConfig.fromEnv(Map.of(WorkerConfig.GROUP_ID, command.group)));
      assertThat(hosted.names()).containsExactly("greet");
      WorkerRuntime greeters = stack.addWorker(command.group, hosted);
      Api api = Api.of(stack, "acct");

      for (int i = 0; i < 20; i++) {
        api.create("greet", "{\"instance_id\":\"g-" + i + "\",\"params\":{\"name\":\"Ada\"}}");
        api.create("three-steps", "{\"instance_id\":\"t-" + i + "\",\"params\":{\"value\":1}}");
      }
      for (int i = 0; i < 20; i++) {
        JsonNode greeted = api.awaitStatus("greet", "g-" + i, "complete");
        assertThat(greeted.path("output").asText()).isEqualTo("Hello, Ada, from your own worker!");
        api.awaitStatus("three-steps", "t-" + i, "complete");
      }
      assertThat(greeters.group()).isEqualTo("greeters");
      // two activations each: before and after the workflow's sleep
      assertThat(greeters.completedActivations()).isEqualTo(40);
      assertThat(api.call("GET", "workflows/greet", null).result().path("class_name").asText())
          .isEqualTo(GREET);
    }
  }

  @Test
  void shouldRefuseBadWorkerOptionsWithAUsageErrorNamingTheProblem(@TempDir Path dir)
      throws IOException {
    Path jar = compileToJar(dir.resolve("build"));
    assertThat(run("worker", "--classpath", jar.toString()))
        .contains("--classpath needs at least one --workflow");
    assertThat(run("worker", "--classpath", jar.toString(), "--workflow", "greet=" + GREET))
        .contains("--workflow needs --group");
    assertThat(
            run(
                "worker",
                "--group",
                "g",
                "--classpath",
                jar.toString(),
                "--workflow",
                "greet=com.example.greetings.Nope"))
        .contains("class com.example.greetings.Nope cannot be loaded");
    assertThat(
            run(
                "worker",
                "--group",
                "g",
                "--classpath",
                "missing.jar",
                "--workflow",
                "greet=" + GREET))
        .contains("missing.jar does not exist");
    assertThat(
            run(
                "worker",
                "--group",
                "g",
                "--classpath",
                jar.toString(),
                "--workflow",
                "greet=java.lang.String"))
        .contains("must extend dev.ferry.workflows.WorkflowEntrypoint");
    assertThat(run("worker", "--group", "bad group", "--workflow", "greet=" + GREET))
        .contains("worker group 'bad group' must match");
  }

  /** Runs the launcher; returns what it printed on stderr, having checked the usage exit code. */
  private static String run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = FerryCommand.commandLine();
    cli.setErr(new PrintWriter(err));
    cli.setOut(new PrintWriter(java.io.Writer.nullWriter()));
    int exit = cli.execute(args);
    assertThat(exit).as("exit code of %s, printed: %s", List.of(args), err).isEqualTo(2);
    return err.toString();
  }

  /**
   * The example's sources compiled against this test's classpath (which holds the SDK), packed in a
   * jar as {@code mvn package} would.
   */
  private static Path compileToJar(Path dir) throws IOException {
    try (var sources = Files.list(EXAMPLE)) {
      return TestJars.build(
          dir, "greetings-1.0.0.jar", sources.filter(f -> f.toString().endsWith(".java")).toList());
    }
  }
}
