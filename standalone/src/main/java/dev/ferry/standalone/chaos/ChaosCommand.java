package dev.ferry.standalone.chaos;

import dev.ferry.embedded.EmbeddedKafkaBroker;
import dev.ferry.embedded.KafkaClusterLayout;
import dev.ferry.standalone.Shutdown;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ferry chaos}: the crash suite. */
@Command(
    name = "chaos",
    mixinStandardHelpOptions = true,
    subcommands = ChaosCommand.BrokerNode.class,
    description = {
      "The crash suite. Starts a 3-broker KRaft cluster (replication factor 3, min.insync.replicas"
          + " 2) and, each as a JVM of its own on 127.0.0.1, 2 orchestrators, 2 workers and 2"
          + " gateways; runs a steady mixed load (steps, sleeps, retries, events, pauses); kills"
          + " a worker, an orchestrator, a gateway and a broker with kill -9 while it runs, each"
          + " restarted on its data; lets every instance finish and checks: every acknowledged"
          + " create reached a terminal state, none completed twice, every step result was"
          + " recorded once, no event was lost or delivered twice, every timer fired at or after"
          + " its due time. It prints timer lateness, the re-executed callbacks and the recovery"
          + " after each kill (orchestrators with and without a standby), writes a result file,"
          + " and exits 1 when an invariant was violated.",
      "--quick kills each kind once (about 4 minutes here); the full run two of each kind."
    })
public final class ChaosCommand implements Callable<Integer> {
  @Option(names = "--quick", description = "Kill each kind of part once instead of two of each.")
  boolean quick;

  @Option(
      names = "--kill",
      split = ",",
      paramLabel = "<part>",
      description =
          "The parts to kill, comma-separated, of worker, orchestrator, gateway, broker"
              + " (default: all).")
  Set<ChaosTarget> targets = EnumSet.allOf(ChaosTarget.class);

  @Option(
      names = "--rate",
      defaultValue = "12",
      description =
          "Instances created per second while the kills run (default: ${DEFAULT-VALUE}, about what"
              + " ten JVMs and three brokers sustain on two cores).")
  double rate;

  @Option(
      names = "--partitions",
      defaultValue = "6",
      description = "Partitions of Ferry's topics (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(
      names = "--session-timeout-ms",
      defaultValue = "3000",
      description =
          "The orchestrators' and workers' consumer session: how soon a killed process's"
              + " partitions move (default: ${DEFAULT-VALUE}).")
  int sessionTimeoutMs;

  @Option(
      names = "--settle-seconds",
      defaultValue = "10",
      description = "Load before each kill (default: ${DEFAULT-VALUE}).")
  int settleSeconds;

  @Option(
      names = "--down-seconds",
      defaultValue = "5",
      description =
          "How long a killed worker, gateway or broker stays down; a killed orchestrator stays"
              + " down until the other has taken its partitions over (default: ${DEFAULT-VALUE}).")
  int downSeconds;

  @Option(
      names = "--finish-minutes",
      defaultValue = "5",
      description =
          "How long the instances get to finish after the last kill (default: ${DEFAULT-VALUE}).")
  int finishMinutes;

  @Option(
      names = "--dir",
      description = "Where the processes keep their data and logs (default: a new temp dir).")
  Path dir;

  @Option(
      names = "--out",
      description = "The result file, JSON (default: chaos-result.json in --dir).")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (rate <= 0 || rate > 200) {
      throw new IllegalArgumentException("--rate must be between 0 and 200, got " + rate);
    }
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("--kill needs at least one part");
    }
    Path runDir =
        dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("ferry-chaos");
    Path result = out != null ? out : runDir.resolve("chaos-result.json");
    // Brokers starting and being killed are the point here: the driver's own clients say so loudly.
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.kafka"))
        .setLevel(ch.qos.logback.classic.Level.ERROR);
    long t0 = System.nanoTime();
    ChaosVerdict verdict =
        ChaosRun.run(
            new ChaosRun.Options(
                runDir,
                quick,
                Set.copyOf(targets),
                rate,
                partitions,
                sessionTimeoutMs,
                Duration.ofSeconds(settleSeconds),
                Duration.ofSeconds(downSeconds),
                Duration.ofMinutes(finishMinutes),
                result));
    System.out.print(verdict.render());
    System.out.printf(
        "took %.1f min; result in %s; history in %s; logs in %s%n",
        (System.nanoTime() - t0) / 60e9,
        result,
        runDir.resolve(ChaosRun.HISTORY_FILE),
        runDir.resolve("logs"));
    return verdict.passed() ? 0 : 1;
  }

  /** The subcommand running one node; not "broker", which is a value of {@code --kill}. */
  static final String BROKER_NODE = "broker-node";

  /** {@code ferry chaos broker-node}: one node of the chaos cluster, run by the suite itself. */
  @Command(
      name = BROKER_NODE,
      hidden = true,
      description = "One node of the chaos suite's Kafka cluster (started by ferry chaos).")
  static final class BrokerNode implements Callable<Integer> {
    @Option(names = "--node", required = true)
    int node;

    @Option(names = "--data", required = true)
    Path data;

    @Option(names = "--cluster-id", required = true)
    String clusterId;

    @Option(names = "--broker-ports", required = true, split = ",")
    List<Integer> brokerPorts;

    @Option(names = "--controller-ports", required = true, split = ",")
    List<Integer> controllerPorts;

    @Override
    public Integer call() {
      Shutdown.awaitSignal(
          EmbeddedKafkaBroker.startNode(
              data, new KafkaClusterLayout(clusterId, brokerPorts, controllerPorts), node));
      return 0;
    }
  }
}
