package dev.ferry.standalone;

import dev.ferry.examples.Examples;
import dev.ferry.schemas.config.FerryConfig;
import dev.ferry.worker.WorkerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ferry dev}: the whole stack in one process, with the example workflows. */
@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    description = {
      "Start the single-machine stack: embedded Kafka (KRaft), schema registry, orchestrator,",
      "workers with the example workflows, and the HTTP gateway, all on 127.0.0.1.",
      "Data is kept in --data-dir; starting again resumes every unfinished instance."
    })
final class DevCommand implements Callable<Integer> {
  @Option(
      names = "--data-dir",
      defaultValue = "data",
      description = "Where Kafka and the orchestrator keep data (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--kafka-port",
      defaultValue = "9092",
      description = "Kafka listener port (default: ${DEFAULT-VALUE}).")
  int kafkaPort;

  @Option(
      names = "--registry-port",
      defaultValue = "8081",
      description = "Schema registry port (default: ${DEFAULT-VALUE}).")
  int registryPort;

  @Option(
      names = "--gateway-port",
      defaultValue = "8787",
      description = "HTTP API port (default: ${DEFAULT-VALUE}).")
  int gatewayPort;

  @Option(
      names = "--partitions",
      defaultValue = "2",
      description =
          "Partitions of the topics this stack creates (default: ${DEFAULT-VALUE}). On one machine"
              + " with one orchestrator thread more partitions only add transaction markers;"
              + " existing topics keep their count.")
  int partitions;

  @Override
  public Integer call() {
    long started = System.nanoTime();
    DevStack stack =
        DevStack.start(
            new DevStack.Options(
                dataDir,
                kafkaPort,
                registryPort,
                gatewayPort,
                Map.of(FerryConfig.TOPIC_PARTITIONS, partitions)),
            Examples.registry());
    Optional<PythonWorker> python = startPythonWorker(stack);
    long millis = (System.nanoTime() - started) / 1_000_000;
    String api = stack.gatewayUrl() + "/client/v4/accounts/" + DevStack.DEV_ACCOUNT + "/workflows";
    String token = stack.token(DevStack.DEV_ACCOUNT);
    System.out.println(
        """

        Ferry is running (started in %d ms).
          Dashboard        %s/  (account %s, the token below)
          HTTP API         %s/client/v4
          Metrics, health  %s/metrics, /livez, /readyz
          Schema Registry  %s
          Kafka            %s
          Data             %s
          Account          %s (token kept in %s)
          Workflows        %s
          Python           %s

        Try it from this folder (the CLI finds this stack by itself):
          ./ferry workflows trigger sleepy '{"name":"Ferry"}' --id hello-1
          ./ferry workflows instances describe sleepy hello-1
          ./ferry workflows --help
        Or with curl (the token inline):
          curl -s -X POST %s/sleepy/instances -H 'Authorization: Bearer %s' -H 'content-type: application/json' -d '{"instance_id":"hello-2","params":{"name":"Ferry"}}'
          curl -s %s/sleepy/instances/hello-2 -H 'Authorization: Bearer %s'
        Elsewhere: export FERRY_URL=%s FERRY_ACCOUNT=%s FERRY_API_TOKEN=%s
        The API is described at %s/client/v4/openapi.yaml

        Host your own workflows beside it, e.g. the project in examples/greetings:
          mvn -q -f examples/greetings package
          %s./ferry worker --group greetings \\
               --classpath examples/greetings/target/greetings-1.0.0.jar \\
               --workflow greet=com.example.greetings.Greet

        Press Ctrl-C to stop; unfinished instances resume on the next start.
        """
            .formatted(
                millis,
                stack.gatewayUrl(),
                DevStack.DEV_ACCOUNT,
                stack.gatewayUrl(),
                stack.gatewayUrl(),
                stack.registryUrl(),
                stack.bootstrapServers(),
                dataDir.toAbsolutePath(),
                DevStack.DEV_ACCOUNT,
                dataDir.resolve(dev.ferry.cli.StackFile.TOKENS_FILE_NAME),
                String.join(", ", Examples.registry().names()),
                pythonLine(python),
                api,
                token,
                api,
                token,
                stack.gatewayUrl(),
                DevStack.DEV_ACCOUNT,
                token,
                stack.gatewayUrl(),
                workerEnvironment(stack)));
    Shutdown.awaitSignal(
        python.isPresent()
            ? new AutoCloseable[] {stack, python.get()}
            : new AutoCloseable[] {stack});
    return 0;
  }

  /** The Python examples in a worker group of their own, when this machine can run them. */
  private Optional<PythonWorker> startPythonWorker(DevStack stack) {
    Optional<Path> home = PythonWorker.home();
    pythonUnavailable = PythonWorker.unavailable(home).orElse(null);
    if (pythonUnavailable != null) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          PythonWorker.start(
              home.get(),
              new PythonWorker.Options(
                  PythonWorker.EXAMPLES_GROUP,
                  "dev-python-worker-1",
                  List.of(DevStack.DEV_ACCOUNT),
                  PythonWorker.EXAMPLES,
                  stack.bootstrapServers(),
                  stack.registryUrl(),
                  Map.of(),
                  dataDir.resolve("python-worker.log"))));
    } catch (IOException e) {
      pythonUnavailable = "the Python worker did not start: " + e.getMessage();
      return Optional.empty();
    }
  }

  private String pythonUnavailable;

  private String pythonLine(Optional<PythonWorker> python) {
    if (python.isPresent()) {
      return String.join(", ", PythonWorker.EXAMPLES.keySet())
          + " (group "
          + PythonWorker.EXAMPLES_GROUP
          + ", log "
          + python.get().log()
          + ", metrics "
          + python.get().adminUrl()
          + "/metrics)";
    }
    return "not started: "
        + pythonUnavailable.lines().findFirst().orElse("")
        + " To host the Python examples: apt-get install -y python3-confluent-kafka python3-avro"
        + " python3-prometheus-client";
  }

  /** What a worker started beside this stack needs beyond the defaults, as env assignments. */
  private static String workerEnvironment(DevStack stack) {
    StringBuilder env = new StringBuilder();
    env.append(FerryConfig.envName(WorkerConfig.ACCOUNTS)).append('=').append(DevStack.DEV_ACCOUNT);
    if (!stack.bootstrapServers().equals(defaultOf(FerryConfig.KAFKA_BOOTSTRAP_SERVERS))) {
      env.append(' ')
          .append(FerryConfig.envName(FerryConfig.KAFKA_BOOTSTRAP_SERVERS))
          .append('=')
          .append(stack.bootstrapServers());
    }
    if (!stack.registryUrl().equals(defaultOf(FerryConfig.SCHEMA_REGISTRY_URL))) {
      env.append(' ')
          .append(FerryConfig.envName(FerryConfig.SCHEMA_REGISTRY_URL))
          .append('=')
          .append(stack.registryUrl());
    }
    return env.append(' ').toString();
  }

  private static Object defaultOf(String key) {
    return WorkerConfig.definition().defaultValues().get(key);
  }
}
