package dev.ferry.standalone;

import dev.ferry.examples.Examples;
import dev.ferry.gateway.Gateway;
import dev.ferry.gateway.GatewayConfig;
import dev.ferry.gateway.registry.SchemaRegistryServer;
import dev.ferry.orchestrator.Orchestrator;
import dev.ferry.orchestrator.OrchestratorConfig;
import dev.ferry.schemas.config.FerryConfig;
import dev.ferry.worker.WorkerConfig;
import dev.ferry.worker.WorkerRuntime;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One Ferry part per process, against an external Kafka. Configuration comes from {@code FERRY_*}
 * environment variables (e.g. {@code FERRY_KAFKA_BOOTSTRAP_SERVERS}, {@code
 * FERRY_SCHEMA_REGISTRY_URL}); each part prints its configuration at startup.
 */
final class ServiceCommands {
  private ServiceCommands() {}

  @Command(
      name = "orchestrator",
      mixinStandardHelpOptions = true,
      description = {
        "Run the orchestrator (Kafka Streams) against FERRY_KAFKA_BOOTSTRAP_SERVERS, with the cron"
            + " scheduler (FERRY_ORCHESTRATOR_SCHEDULER_ENABLED) and the queue-style triggers of"
            + " FERRY_ORCHESTRATOR_TRIGGERS_FILE (see docs/kafka.md)."
      })
  static final class OrchestratorCommand implements Callable<Integer> {
    @Override
    public Integer call() {
      Shutdown.awaitSignal(Orchestrator.start(OrchestratorConfig.fromEnv(Map.of())));
      return 0;
    }
  }

  @Command(
      name = "worker",
      mixinStandardHelpOptions = true,
      description =
          "Run a worker hosting the example workflows against FERRY_KAFKA_BOOTSTRAP_SERVERS; it"
              + " registers them in the accounts of FERRY_WORKER_ACCOUNTS (default: default).")
  static final class WorkerCommand implements Callable<Integer> {
    @Override
    public Integer call() {
      Shutdown.awaitSignal(
          WorkerRuntime.start(WorkerConfig.fromEnv(Map.of()), Examples.registry()));
      return 0;
    }
  }

  @Command(
      name = "gateway",
      mixinStandardHelpOptions = true,
      description =
          "Run the HTTP gateway (FERRY_GATEWAY_HOST / FERRY_GATEWAY_PORT, default 127.0.0.1:8787);"
              + " it needs API tokens in FERRY_GATEWAY_AUTH_TOKENS (account:token,...) or"
              + " FERRY_GATEWAY_AUTH_TOKENS_FILE.")
  static final class GatewayCommand implements Callable<Integer> {
    @Override
    public Integer call() {
      Shutdown.awaitSignal(Gateway.start(GatewayConfig.fromEnv(Map.of())));
      return 0;
    }
  }

  @Command(
      name = "registry",
      mixinStandardHelpOptions = true,
      description =
          "Run the Confluent-compatible schema registry, storing schemas in a Kafka topic.")
  static final class RegistryCommand implements Callable<Integer> {
    @Option(
        names = "--host",
        defaultValue = "127.0.0.1",
        description = "Bind address (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(
        names = "--port",
        defaultValue = "8081",
        description = "Port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
        names = "--topic",
        defaultValue = "_ferry-schemas",
        description = "Compacted topic holding the schemas (default: ${DEFAULT-VALUE}).")
    String topic;

    @Override
    public Integer call() {
      String bootstrap =
          System.getenv()
              .getOrDefault(
                  FerryConfig.envName(FerryConfig.KAFKA_BOOTSTRAP_SERVERS), "127.0.0.1:9092");
      Shutdown.awaitSignal(SchemaRegistryServer.start(bootstrap, topic, host, port));
      return 0;
    }
  }
}
