package dev.ferry.standalone;

import dev.ferry.examples.Examples;
import dev.ferry.gateway.Gateway;
import dev.ferry.gateway.GatewayConfig;
import dev.ferry.gateway.registry.RegistryConfig;
import dev.ferry.gateway.registry.SchemaRegistryServer;
import dev.ferry.orchestrator.Orchestrator;
import dev.ferry.orchestrator.OrchestratorConfig;
import dev.ferry.worker.ClasspathWorkflows;
import dev.ferry.worker.WorkerConfig;
import dev.ferry.worker.WorkerRuntime;
import dev.ferry.worker.WorkflowRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
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
    @CommandLine.Mixin ConfigFileOption settings;

    @Override
    public Integer call() {
      Shutdown.awaitSignal(
          Orchestrator.start(
              OrchestratorConfig.fromEnv(settings.overrides(OrchestratorConfig.definition()))));
      return 0;
    }
  }

  @Command(
      name = "worker",
      mixinStandardHelpOptions = true,
      description = {
        "Run a worker against FERRY_KAFKA_BOOTSTRAP_SERVERS (default 127.0.0.1:9092, where ferry"
            + " dev listens). With --workflow it hosts exactly the classes named, loaded from"
            + " --classpath, in its own --group; without, it hosts the example workflows in the"
            + " group ferry-workers. It registers its workflows in the accounts of"
            + " FERRY_WORKER_ACCOUNTS (default: default; ferry dev serves the account dev).",
        "",
        "Example: FERRY_WORKER_ACCOUNTS=dev ./ferry worker --group greeters"
            + " --classpath greetings.jar --workflow greet=com.example.Greet"
      })
  static final class WorkerCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin ConfigFileOption settings;

    @Option(
        names = "--group",
        paramLabel = "<name>",
        description =
            "Worker group (default: FERRY_WORKER_GROUP_ID, else ferry-workers). Its tasks arrive on"
                + " the topic workflows.tasks.<name>; every member of a group should host the"
                + " same workflows.")
    String group;

    @Option(
        names = {"--classpath", "-cp"},
        paramLabel = "<jar-or-dir>[" + "${sys:path.separator}" + "...]",
        description =
            "Jars and class folders holding the workflow classes (separated by '${sys:path.separator}',"
                + " repeatable); Ferry's SDK comes from this launcher.")
    List<String> classpath = new ArrayList<>();

    @Option(
        names = "--workflow",
        paramLabel = "<name>=<class>",
        description =
            "A workflow to host: its name in the API and its class (repeatable). Nothing else is"
                + " hosted.")
    Map<String, String> workflows = new LinkedHashMap<>();

    @Override
    public Integer call() {
      Map<String, Object> overrides = settings.overrides(WorkerConfig.definition());
      if (group != null) {
        overrides.put(WorkerConfig.GROUP_ID, group);
      }
      WorkerConfig config = WorkerConfig.fromEnv(overrides);
      Shutdown.awaitSignal(WorkerRuntime.start(config, hosted(config)));
      return 0;
    }

    /** The examples, or exactly the --workflow classes; bad options are usage errors. */
    WorkflowRegistry hosted(WorkerConfig config) {
      try {
        config.group();
      } catch (org.apache.kafka.common.config.ConfigException e) {
        throw usage("--group: " + e.getMessage());
      }
      if (workflows.isEmpty()) {
        if (!classpath.isEmpty()) {
          throw usage("--classpath needs at least one --workflow <name>=<class> to host");
        }
        return Examples.registry();
      }
      if (!config.originals().containsKey(WorkerConfig.GROUP_ID)) {
        throw usage(
            "--workflow needs --group <name> (or FERRY_WORKER_GROUP_ID, or worker.group.id in"
                + " --config): a group's members"
                + " share its tasks, so your workflows need a group of their own");
      }
      try {
        return ClasspathWorkflows.load(
            classpath.stream()
                .flatMap(entry -> Arrays.stream(entry.split(java.io.File.pathSeparator)))
                .filter(entry -> !entry.isBlank())
                .map(Path::of)
                .toList(),
            workflows);
      } catch (IllegalArgumentException e) {
        throw usage(e.getMessage());
      }
    }

    private CommandLine.ParameterException usage(String message) {
      return new CommandLine.ParameterException(spec.commandLine(), message);
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
    @CommandLine.Mixin ConfigFileOption settings;

    @Override
    public Integer call() {
      Shutdown.awaitSignal(
          Gateway.start(GatewayConfig.fromEnv(settings.overrides(GatewayConfig.definition()))));
      return 0;
    }
  }

  @Command(
      name = "registry",
      mixinStandardHelpOptions = true,
      description =
          "Run the Confluent-compatible schema registry, storing schemas in a Kafka topic.",
      footer = {
        "",
        "Protection: FERRY_REGISTRY_AUTH_USER_INFO=user:password makes every request need HTTP",
        "basic auth (clients put it in their URL: http://user:password@host:8081); without it",
        "callers may not delete or reconfigure Ferry's own subjects. FERRY_REGISTRY_READ_ONLY=true",
        "refuses every change. Ferry's own subjects always stay BACKWARD compatible."
      })
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

    @CommandLine.Mixin ConfigFileOption settings;

    @Override
    public Integer call() {
      RegistryConfig config =
          RegistryConfig.fromEnv(settings.overrides(RegistryConfig.definition()));
      Shutdown.awaitSignal(
          SchemaRegistryServer.start(
              SchemaRegistryServer.Options.of(config.kafka(), topic, host, port)
                  .protectedBy(config)));
      return 0;
    }
  }
}
