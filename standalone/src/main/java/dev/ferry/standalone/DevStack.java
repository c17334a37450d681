package dev.ferry.standalone;

import dev.ferry.cli.StackFile;
import dev.ferry.embedded.EmbeddedKafkaBroker;
import dev.ferry.gateway.AccessTokens;
import dev.ferry.gateway.Gateway;
import dev.ferry.gateway.GatewayConfig;
import dev.ferry.gateway.registry.RegistryConfig;
import dev.ferry.gateway.registry.SchemaRegistryServer;
import dev.ferry.ops.Observability;
import dev.ferry.orchestrator.Orchestrator;
import dev.ferry.orchestrator.OrchestratorConfig;
import dev.ferry.schemas.config.FerryConfig;
import dev.ferry.schemas.registry.HttpSchemaRegistryClient;
import dev.ferry.worker.WorkerConfig;
import dev.ferry.worker.WorkerRuntime;
import dev.ferry.worker.WorkflowRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole single-machine stack in one JVM: an embedded Kafka broker with its data on disk, the
 * schema registry, the orchestrator, workers and the gateway. The parts talk over the same Kafka
 * and HTTP paths as a distributed deployment; only the addresses are local.
 *
 * <pre>{@code
 * try (DevStack stack = DevStack.start(DevStack.Options.defaults(), Examples.registry())) {
 *   System.out.println(stack.gatewayUrl());
 * }
 * }</pre>
 */
public final class DevStack implements AutoCloseable {
  private final Options options;
  private final WorkflowRegistry workflows;
  private final EmbeddedKafkaBroker kafka;
  private final SchemaRegistryServer registry;
  private Orchestrator orchestrator;
  private final List<WorkerRuntime> workers = new ArrayList<>();
  private final Gateway gateway;
  private final Map<String, Object> common;
  private final Map<String, String> tokens;

  /** One registry and one set of readiness checks for every part: the gateway serves them. */
  private final Observability observability = Observability.create();

  /** The account the dev stack serves unless {@code worker.accounts} says otherwise. */
  public static final String DEV_ACCOUNT = "dev";

  /**
   * Where the stack keeps its data and which ports it uses (0 = any free port). {@code settings}
   * are extra configuration keys (e.g. a shorter activation lease), applied to every part.
   */
  public record Options(
      Path dataDir,
      int kafkaPort,
      int registryPort,
      int gatewayPort,
      Map<String, Object> settings) {
    public static Options defaults() {
      return new Options(Path.of("data"), 9092, 8081, 8787, Map.of());
    }
  }

  private DevStack(Options options, WorkflowRegistry workflows) {
    this.options = options;
    this.workflows = workflows;
    this.kafka = EmbeddedKafkaBroker.start(options.dataDir().resolve("kafka"), options.kafkaPort());
    RegistryConfig registryConfig =
        new RegistryConfig(
            only(options.settings(), RegistryConfig.definition().names()), System.getenv());
    this.registry =
        SchemaRegistryServer.start(
            SchemaRegistryServer.Options.of(
                    kafka.bootstrapServers(), "_ferry-schemas", "127.0.0.1", options.registryPort())
                .protectedBy(registryConfig)
                .observedBy(observability));
    this.common = new HashMap<>(options.settings());
    common.put(FerryConfig.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers());
    // The parts present the registry's credentials, when it has some, in its URL.
    common.put(
        FerryConfig.SCHEMA_REGISTRY_URL,
        registryConfig
            .userInfo()
            .map(u -> HttpSchemaRegistryClient.withCredentials(registryUrl(), u))
            .orElse(registryUrl()));
    common.putIfAbsent(WorkerConfig.ACCOUNTS, DEV_ACCOUNT);
    // The gateway serves every part's /metrics and /readyz; no part opens an admin port.
    common.putIfAbsent(OrchestratorConfig.ADMIN_PORT, -1);
    common.putIfAbsent(WorkerConfig.ADMIN_PORT, -1);
    // One token per account, kept in the data directory so it survives restarts.
    Path tokenFile = options.dataDir().resolve(StackFile.TOKENS_FILE_NAME);
    this.tokens = AccessTokens.ensureFile(tokenFile, accounts());
    startOrchestrator();
    addWorker();
    Map<String, Object> gatewaySettings = new HashMap<>(common);
    gatewaySettings.put(GatewayConfig.PORT, options.gatewayPort());
    gatewaySettings.putIfAbsent(GatewayConfig.AUTH_TOKENS_FILE, tokenFile.toString());
    gatewaySettings.putIfAbsent(
        GatewayConfig.STATE_DIR, options.dataDir().resolve("gateway").toString());
    this.gateway =
        Gateway.start(
            new GatewayConfig(
                only(gatewaySettings, GatewayConfig.definition().names()), System.getenv()),
            observability);
    // Commands started in the same folder (ferry workflows, ferry kafka tail) find the stack here.
    new StackFile(gatewayUrl(), accounts().get(0), kafka.bootstrapServers(), registryUrl())
        .writeTo(options.dataDir());
  }

  /** The accounts the stack serves, as {@code worker.accounts} lists them. */
  private List<String> accounts() {
    return List.of(String.valueOf(common.get(WorkerConfig.ACCOUNTS)).split("\\s*,\\s*"));
  }

  public static DevStack start(Options options, WorkflowRegistry workflows) {
    return new DevStack(options, workflows);
  }

  /** Starts (or restarts, after {@link #stopOrchestrator}) the orchestrator on the same state. */
  public void startOrchestrator() {
    Map<String, Object> settings = new HashMap<>(common);
    settings.put(
        OrchestratorConfig.STATE_DIR, options.dataDir().resolve("orchestrator").toString());
    // One orchestrator per stack: restarted after a crash, it takes its partitions back at once.
    settings.putIfAbsent(OrchestratorConfig.GROUP_INSTANCE_ID, "ferry-dev-orchestrator");
    orchestrator =
        Orchestrator.start(
            new OrchestratorConfig(
                only(settings, OrchestratorConfig.definition().names()), System.getenv()),
            observability);
    try {
      if (!orchestrator.awaitRunning(Duration.ofSeconds(120))) {
        throw new IllegalStateException("the orchestrator did not reach RUNNING in 120 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the orchestrator", e);
    }
  }

  public void stopOrchestrator() {
    orchestrator.close();
  }

  /** Starts one more worker in the stack's own group, hosting the stack's workflows. */
  public WorkerRuntime addWorker() {
    return addWorker(null, workflows);
  }

  /**
   * Starts a worker of another group (null = the stack's own) hosting {@code hosted}, as another
   * team's deployment would. It is stopped with the stack unless closed before.
   */
  public WorkerRuntime addWorker(String group, WorkflowRegistry hosted) {
    Map<String, Object> settings = only(common, WorkerConfig.definition().names());
    settings.putIfAbsent(WorkerConfig.WORKER_ID, "dev-worker-" + (workers.size() + 1));
    if (group != null) {
      settings.put(WorkerConfig.GROUP_ID, group);
    } else {
      // The stack's own workers are static members: restarted after a crash, they take their
      // partitions back at once. Workers added in other groups (tests start and stop them
      // quickly) stay dynamic: one closed while joining leaves nothing its group must wait out.
      settings.putIfAbsent(
          WorkerConfig.GROUP_INSTANCE_ID, "ferry-" + settings.get(WorkerConfig.WORKER_ID));
    }
    WorkerRuntime worker =
        WorkerRuntime.start(new WorkerConfig(settings, System.getenv()), hosted, observability);
    workers.add(worker);
    return worker;
  }

  public List<WorkerRuntime> workers() {
    return List.copyOf(workers);
  }

  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  /** How its parts reach its broker (a plain embedded one: nothing beyond the address). */
  public dev.ferry.schemas.config.KafkaSettings kafkaSettings() {
    return dev.ferry.schemas.config.KafkaSettings.of(kafka.bootstrapServers());
  }

  public String registryUrl() {
    return "http://127.0.0.1:" + registry.port();
  }

  /** The API token of an account this stack serves. */
  public String token(String account) {
    String token = tokens.get(account);
    if (token == null) {
      throw new IllegalArgumentException("this stack serves accounts " + tokens.keySet());
    }
    return token;
  }

  /** Accounts this stack serves, each with its API token. */
  public Map<String, String> tokens() {
    return tokens;
  }

  /** The gateway's routes as "METHOD path" (see {@link Gateway#routes()}). */
  public List<String> gatewayRoutes() {
    return gateway.routes();
  }

  public String gatewayUrl() {
    return "http://127.0.0.1:" + gateway.port();
  }

  /** Stops everything, newest part first; data stays on disk for the next start. */
  @Override
  public void close() {
    gateway.close();
    for (WorkerRuntime worker : workers) {
      worker.close();
    }
    orchestrator.close();
    registry.close();
    kafka.close();
  }

  private static Map<String, Object> only(
      Map<String, Object> settings, java.util.Set<String> keys) {
    Map<String, Object> out = new HashMap<>();
    settings.forEach(
        (key, value) -> {
          if (keys.contains(key)) {
            out.put(key, value);
          }
        });
    return out;
  }
}
