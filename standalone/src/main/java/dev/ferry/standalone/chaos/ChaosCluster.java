package dev.ferry.standalone.chaos;

import dev.ferry.embedded.EmbeddedKafkaBroker;
import dev.ferry.embedded.KafkaClusterLayout;
import dev.ferry.gateway.GatewayConfig;
import dev.ferry.gateway.registry.SchemaRegistryServer;
import dev.ferry.orchestrator.OrchestratorConfig;
import dev.ferry.schemas.config.FerryConfig;
import dev.ferry.worker.WorkerConfig;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;

/**
 * The processes of a chaos run on 127.0.0.1: a 3-node KRaft cluster, 2 orchestrators, 2 workers
 * hosting {@link ChaosWorkflow} and 2 gateways, each a JVM of its own with its data in the run's
 * directory, and the schema registry inside the driver (it is not killed). Every process keeps its
 * data across a kill, as a restarted pod keeps its volume.
 */
final class ChaosCluster implements AutoCloseable {
  static final String ACCOUNT = "chaos";
  static final String TOKEN = "chaos-token-0123456789";
  static final String GROUP = "chaos";
  static final int BROKERS = 3;
  static final int PER_KIND = 2;

  /** The jar {@code ./ferry} runs, built by {@code mvn package}. */
  static final String LAUNCHER_JAR = "ferry.jar";

  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  /**
   * Ten JVMs share two cores: small heaps, one GC thread, no C2 compiler (figures are for
   * correctness).
   */
  private static final List<String> JVM =
      List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  private static final List<String> BROKER_JVM =
      List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  private final KafkaClusterLayout layout = KafkaClusterLayout.onFreePorts(BROKERS);
  private final Map<ChaosTarget, List<ChaosProcess>> parts = new EnumMap<>(ChaosTarget.class);
  private final List<String> gatewayUrls = new ArrayList<>();
  private final Path dir;
  private final Path logs;
  private final String classpath;
  private SchemaRegistryServer registry;

  private ChaosCluster(Path dir) throws IOException {
    this.dir = dir;
    this.logs = Files.createDirectories(dir.resolve("logs"));
    this.classpath = frozenClasspath(dir);
  }

  /**
   * What the parts run from: a copy of the driver's jar when that is the launcher's {@value
   * #LAUNCHER_JAR}, because {@code ./ferry} rebuilds it when the sources change, and a part
   * restarted from a jar being written does not start. Any other classpath (a test's) as it is.
   */
  static String frozenClasspath(Path dir) throws IOException {
    String classpath = System.getProperty("java.class.path");
    if (classpath.contains(File.pathSeparator)) {
      return classpath;
    }
    Path jar = Path.of(classpath);
    if (jar.getFileName() == null
        || !jar.getFileName().toString().equals(LAUNCHER_JAR)
        || !Files.isRegularFile(jar)) {
      return classpath;
    }
    return Files.copy(jar, dir.resolve(LAUNCHER_JAR), StandardCopyOption.REPLACE_EXISTING)
        .toString();
  }

  /**
   * Starts every part and returns once each is ready and both gateways know the chaos workflow.
   *
   * @param settings Ferry settings every process gets (partitions, session timeouts, standbys)
   */
  static ChaosCluster start(Path dir, Map<String, Object> settings, Path executionsLog)
      throws Exception {
    ChaosCluster cluster = new ChaosCluster(dir);
    // Ctrl-C of the driver must not leave ten JVMs running.
    Thread killAll = new Thread(cluster::killAll, "chaos-kill-all");
    Runtime.getRuntime().addShutdownHook(killAll);
    try {
      cluster.startAll(settings, executionsLog);
      return cluster;
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
  }

  private void startAll(Map<String, Object> settings, Path executionsLog) throws Exception {
    List<ChaosProcess> brokers = new ArrayList<>();
    for (int node = 1; node <= BROKERS; node++) {
      brokers.add(broker(node));
    }
    parts.put(ChaosTarget.BROKER, brokers);
    startAndAwait(brokers, "brokers");
    registry =
        SchemaRegistryServer.start(layout.bootstrapServers(), "_ferry-schemas", "127.0.0.1", 0);
    Map<String, String> common = new HashMap<>();
    settings.forEach((key, value) -> common.put(FerryConfig.envName(key), String.valueOf(value)));
    common.put(FerryConfig.envName(FerryConfig.KAFKA_BOOTSTRAP_SERVERS), layout.bootstrapServers());
    common.put(FerryConfig.envName(FerryConfig.SCHEMA_REGISTRY_URL), registryUrl());
    List<ChaosProcess> orchestrators = new ArrayList<>();
    List<ChaosProcess> workers = new ArrayList<>();
    List<ChaosProcess> gateways = new ArrayList<>();
    for (int i = 1; i <= PER_KIND; i++) {
      orchestrators.add(orchestrator(i, common));
      workers.add(worker(i, common, executionsLog));
      gateways.add(gateway(i, common));
    }
    parts.put(ChaosTarget.ORCHESTRATOR, orchestrators);
    parts.put(ChaosTarget.WORKER, workers);
    parts.put(ChaosTarget.GATEWAY, gateways);
    startAndAwait(orchestrators, "orchestrators");
    startAndAwait(workers, "workers");
    startAndAwait(gateways, "gateways");
  }

  private void startAndAwait(List<ChaosProcess> processes, String what) throws Exception {
    long t0 = System.nanoTime();
    for (ChaosProcess process : processes) {
      process.start();
    }
    for (ChaosProcess process : processes) {
      process.awaitReady(START_TIMEOUT);
    }
    System.out.printf(
        "  %d %s ready in %.1f s%n", processes.size(), what, (System.nanoTime() - t0) / 1e9);
  }

  private ChaosProcess broker(int node) {
    return new ChaosProcess(
        "broker-" + node,
        classpath,
        BROKER_JVM,
        List.of(
            "chaos",
            ChaosCommand.BROKER_NODE,
            "--node",
            String.valueOf(node),
            "--data",
            dir.resolve("kafka-" + node).toString(),
            "--cluster-id",
            layout.clusterId(),
            "--broker-ports",
            join(layout.brokerPorts()),
            "--controller-ports",
            join(layout.controllerPorts())),
        Map.of(),
        logs,
        () -> serving(node));
  }

  private ChaosProcess orchestrator(int i, Map<String, String> common) throws IOException {
    int adminPort = EmbeddedKafkaBroker.freePort();
    Map<String, String> env = new HashMap<>(common);
    env.put(
        FerryConfig.envName(OrchestratorConfig.STATE_DIR),
        dir.resolve("orchestrator-" + i).toString());
    env.put(FerryConfig.envName(OrchestratorConfig.GROUP_INSTANCE_ID), "orchestrator-" + i);
    env.put(FerryConfig.envName(OrchestratorConfig.ADMIN_PORT), String.valueOf(adminPort));
    return new ChaosProcess(
        "orchestrator-" + i,
        classpath,
        JVM,
        List.of("orchestrator"),
        env,
        logs,
        ChaosProcess.Readiness.http("http://127.0.0.1:" + adminPort + "/readyz"));
  }

  private ChaosProcess worker(int i, Map<String, String> common, Path executionsLog)
      throws IOException, java.net.URISyntaxException {
    int adminPort = EmbeddedKafkaBroker.freePort();
    Map<String, String> env = new HashMap<>(common);
    env.put(FerryConfig.envName(WorkerConfig.ACCOUNTS), ACCOUNT);
    env.put(FerryConfig.envName(WorkerConfig.GROUP_INSTANCE_ID), "worker-" + i);
    env.put(FerryConfig.envName(WorkerConfig.ADMIN_PORT), String.valueOf(adminPort));
    env.put(ChaosWorkflow.EXECUTIONS_LOG_ENV, executionsLog.toString());
    String classes =
        Path.of(ChaosWorkflow.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    if (classes.equals(System.getProperty("java.class.path"))) {
      classes = classpath; // the workflow lives in the launcher's jar: its frozen copy
    }
    return new ChaosProcess(
        "worker-" + i,
        classpath,
        JVM,
        List.of(
            "worker",
            "--group",
            GROUP,
            "--classpath",
            classes,
            "--workflow",
            ChaosWorkflow.NAME + "=" + ChaosWorkflow.class.getName()),
        env,
        logs,
        ChaosProcess.Readiness.http("http://127.0.0.1:" + adminPort + "/readyz"));
  }

  private ChaosProcess gateway(int i, Map<String, String> common) throws IOException {
    int port = EmbeddedKafkaBroker.freePort();
    Map<String, String> env = new HashMap<>(common);
    env.put(FerryConfig.envName(GatewayConfig.PORT), String.valueOf(port));
    env.put(FerryConfig.envName(GatewayConfig.STATE_DIR), dir.resolve("gateway-" + i).toString());
    env.put(FerryConfig.envName(GatewayConfig.AUTH_TOKENS), ACCOUNT + ":" + TOKEN);
    String base = "http://127.0.0.1:" + port;
    gatewayUrls.add(base);
    // Ready means it answers for the chaos workflow: the workers have registered it.
    return new ChaosProcess(
        "gateway-" + i,
        classpath,
        JVM,
        List.of("gateway"),
        env,
        logs,
        ChaosProcess.Readiness.http(base + "/readyz")
            .and(
                ChaosProcess.Readiness.http(
                    base + "/client/v4/accounts/" + ACCOUNT + "/workflows/" + ChaosWorkflow.NAME,
                    TOKEN)));
  }

  /**
   * Whether broker {@code node} itself answers and counts itself in the cluster. Asked of that node
   * alone: after a kill the others still list it until its session ends, and a restarted node
   * answers only once its logs are recovered and it is registered again.
   */
  private boolean serving(int node) {
    try (Admin own =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                "127.0.0.1:" + layout.brokerPorts().get(node - 1),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                3_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                2_000))) {
      return own
          .describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
          .nodes()
          .get(3, TimeUnit.SECONDS)
          .stream()
          .map(Node::id)
          .anyMatch(id -> id == node);
    } catch (Exception e) {
      return false; // not listening, still recovering its logs, or no quorum yet
    }
  }

  ChaosProcess part(ChaosTarget target, int index) {
    List<ChaosProcess> of = parts.get(target);
    return of.get(index % of.size());
  }

  /** Starts a killed part again on its data and waits until it is ready. */
  void restart(ChaosProcess process) throws Exception {
    process.start();
    process.awaitReady(START_TIMEOUT);
  }

  /** A rolling restart of the orchestrators, one at a time, each with SIGTERM. */
  void restartOrchestrators(String key, String value) throws Exception {
    for (ChaosProcess orchestrator : parts.get(ChaosTarget.ORCHESTRATOR)) {
      if (!orchestrator.stop(Duration.ofSeconds(60))) {
        System.out.println("  " + orchestrator.name() + " did not stop within 60 s: killed");
      }
      orchestrator.environment(FerryConfig.envName(key), value);
      restart(orchestrator);
    }
  }

  private void killAll() {
    parts.values().stream()
        .flatMap(List::stream)
        .filter(ChaosProcess::alive)
        .forEach(
            p -> {
              try {
                p.kill();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
  }

  List<String> gatewayUrls() {
    return List.copyOf(gatewayUrls);
  }

  String bootstrapServers() {
    return layout.bootstrapServers();
  }

  String registryUrl() {
    return "http://127.0.0.1:" + registry.port();
  }

  Path logs() {
    return logs;
  }

  @Override
  public void close() throws Exception {
    for (ChaosTarget target :
        List.of(
            ChaosTarget.GATEWAY,
            ChaosTarget.WORKER,
            ChaosTarget.ORCHESTRATOR,
            ChaosTarget.BROKER)) {
      for (ChaosProcess process : parts.getOrDefault(target, List.of())) {
        process.stop(Duration.ofSeconds(30));
      }
      if (target == ChaosTarget.ORCHESTRATOR && registry != null) {
        registry.close();
      }
    }
  }

  private static String join(List<Integer> ports) {
    return ports.stream().map(String::valueOf).collect(Collectors.joining(","));
  }
}
