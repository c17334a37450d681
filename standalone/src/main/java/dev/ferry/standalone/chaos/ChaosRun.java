package dev.ferry.standalone.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.gateway.GatewayConfig;
import dev.ferry.orchestrator.OrchestratorConfig;
import dev.ferry.schemas.Json;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.config.FerryConfig;
import dev.ferry.schemas.registry.SchemaRegistryClients;
import dev.ferry.worker.WorkerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One chaos run: starts the cluster, runs the load, kills and restarts a part per round while the
 * load runs, lets every acknowledged instance finish, then checks the invariants and writes the
 * result file.
 */
final class ChaosRun {
  static final String GATEWAYS_AGREE = "any gateway answers for any instance";

  /** The run's committed history, written to its directory for tracing a violation. */
  static final String HISTORY_FILE = "history.tsv";

  /** Instances whose status both gateways are asked for at the end. */
  private static final int SAMPLE = 20;

  /**
   * @param dir where every process keeps its data and log
   * @param quick each kind of kill once instead of two processes of each kind
   * @param targets the parts to kill
   * @param rate instances created per second while the rounds run
   * @param settle load before each kill
   * @param down how long a killed part stays dead (orchestrators: until the other has taken over)
   * @param finish how long acknowledged instances get to finish after the last round
   */
  record Options(
      Path dir,
      boolean quick,
      Set<ChaosTarget> targets,
      double rate,
      int partitions,
      int sessionTimeoutMs,
      Duration settle,
      Duration down,
      Duration finish,
      Path out) {}

  private final Options options;
  private final List<ChaosKill> kills = new ArrayList<>();
  private final Map<String, Object> rounds = new LinkedHashMap<>();

  private ChaosRun(Options options) {
    this.options = options;
  }

  static ChaosVerdict run(Options options) throws Exception {
    return new ChaosRun(options).run();
  }

  private ChaosVerdict run() throws Exception {
    Path executions = options.dir().resolve("executions.log");
    List<ChaosPlan.Round> plan = ChaosPlan.rounds(options.quick(), options.targets());
    System.out.printf(
        "chaos: %d kills (%s), %.0f instances/s, %d partitions, session timeout %d ms, data in %s%n",
        plan.size(),
        plan.stream().map(r -> r.target().label()).toList(),
        options.rate(),
        options.partitions(),
        options.sessionTimeoutMs(),
        options.dir());
    System.out.println("starting 3 brokers, 2 orchestrators, 2 workers and 2 gateways ...");
    try (ChaosCluster cluster = ChaosCluster.start(options.dir(), settings(), executions);
        ChaosHistory history =
            new ChaosHistory(
                cluster.bootstrapServers(),
                new Topics("workflows.", SchemaRegistryClients.forUrl(cluster.registryUrl())));
        ChaosLoad load =
            new ChaosLoad(
                cluster.gatewayUrls(), ChaosCluster.ACCOUNT, ChaosCluster.TOKEN, options.rate())) {
      load.start();
      int standbys = 0;
      for (ChaosPlan.Round round : plan) {
        if (round.standbys() != standbys) {
          System.out.printf(
              "rolling restart of the orchestrators with %d standby replica(s) ...%n",
              round.standbys());
          cluster.restartOrchestrators(
              OrchestratorConfig.STANDBY_REPLICAS, String.valueOf(round.standbys()));
          standbys = round.standbys();
        }
        Thread.sleep(options.settle().toMillis()); // load runs before the kill, by design
        killAndRestart(cluster, history, round, load);
      }
      load.stopCreating();
      System.out.println("load stopped: " + load.progress() + "; waiting for the instances ...");
      load.awaitRequests(Duration.ofMinutes(4));
      awaitFinished(history, load);
      List<HistoryEntry> entries = history.entries();
      writeHistory(entries);
      ChaosVerdict verdict =
          ChaosInvariants.check(
              new ChaosInvariants.Facts(
                  load.acknowledged(), load.eventsSent(), entries, executions(executions), kills));
      load.refused().forEach(refusal -> verdict.violation("every request was accepted", refusal));
      checkGateways(cluster.gatewayUrls(), load.acknowledged().keySet(), verdict);
      verdict.figure("requests retried (a 5xx or no answer)", load.retried());
      rounds.forEach(verdict::figure);
      write(verdict);
      return verdict;
    }
  }

  private Map<String, Object> settings() {
    Map<String, Object> settings = new HashMap<>();
    settings.put(FerryConfig.TOPIC_PARTITIONS, options.partitions());
    settings.put(OrchestratorConfig.SESSION_TIMEOUT_MS, options.sessionTimeoutMs());
    settings.put(WorkerConfig.SESSION_TIMEOUT_MS, options.sessionTimeoutMs());
    settings.put(OrchestratorConfig.STANDBY_REPLICAS, 0);
    settings.put(GatewayConfig.CREATE_RATE, 1_000_000);
    return settings;
  }

  private void killAndRestart(
      ChaosCluster cluster, ChaosHistory history, ChaosPlan.Round round, ChaosLoad load)
      throws Exception {
    ChaosProcess part = cluster.part(round.target(), round.index());
    long at = System.currentTimeMillis();
    part.kill();
    kills.add(new ChaosKill(round.target(), part.name(), at, round.standbys()));
    System.out.printf("kill -9 %s (%s)%n", part.name(), load.progress());
    if (round.target() == ChaosTarget.ORCHESTRATOR) {
      awaitTakeover(cluster.part(round.target(), round.index() + 1), part, history, at, round);
    } else {
      Thread.sleep(options.down().toMillis()); // the part stays dead this long, by design
    }
    long t0 = System.nanoTime();
    cluster.restart(part);
    double seconds = (System.nanoTime() - t0) / 1e9;
    // A part may be killed more than once in a run: the kill's number keeps each figure.
    rounds.put(
        "restart of " + part.name() + " to ready (kill " + kills.size() + ")",
        String.format("%.1f s", seconds));
    System.out.printf("  %s restarted, ready in %.1f s%n", part.name(), seconds);
  }

  /**
   * Recovery is the other orchestrator's: the killed one stays down until every partition has
   * progressed again. The survivor's readiness tells when it took over: it is not ready while it
   * rebalances and restores, and ready again once it runs every partition it now owns.
   */
  private void awaitTakeover(
      ChaosProcess survivor,
      ChaosProcess killed,
      ChaosHistory history,
      long at,
      ChaosPlan.Round round)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    boolean rebalanced = false;
    long takenOver = -1;
    long progressed = -1;
    while (!(progressed >= 0 && (takenOver >= 0 || !rebalanced)) && System.nanoTime() < deadline) {
      boolean ready = survivor.ready();
      if (!ready) {
        rebalanced = true;
      } else if (rebalanced && takenOver < 0) {
        takenOver = System.currentTimeMillis();
      }
      if (progressed < 0 && history.everyPartitionProgressedSince(at)) {
        progressed = System.currentTimeMillis();
      }
      Thread.sleep(50); // watching other processes' progress
    }
    String takeover =
        takenOver < 0 ? "not seen" : String.format("%.1f s", (takenOver - at) / 1000.0);
    rounds.put(
        "takeover of "
            + killed.name()
            + "'s partitions ("
            + round.standbys()
            + " standby, kill "
            + kills.size()
            + ")",
        takeover);
    System.out.printf(
        "  %s took over in %s; every partition progressed again %.1f s after the kill%n",
        survivor.name(),
        takeover,
        ((progressed < 0 ? System.currentTimeMillis() : progressed) - at) / 1000.0);
  }

  private void awaitFinished(ChaosHistory history, ChaosLoad load) throws InterruptedException {
    Set<String> acknowledged = load.acknowledged().keySet();
    long deadline = System.nanoTime() + options.finish().toNanos();
    long nextNote = 0;
    long left;
    while ((left = history.unfinished(acknowledged)) > 0 && System.nanoTime() < deadline) {
      if (System.nanoTime() > nextNote) {
        System.out.printf("  %d of %d instances still running%n", left, acknowledged.size());
        nextNote = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      }
      Thread.sleep(200); // watching another process's progress
    }
    System.out.printf(
        "%d of %d instances finished%n", acknowledged.size() - left, acknowledged.size());
  }

  /** "instance\tstep" → how often its callback ran, from the workers' executions log. */
  static Map<String, Integer> executions(Path log) throws IOException {
    Map<String, Integer> counts = new HashMap<>();
    if (!Files.exists(log)) {
      return counts;
    }
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      if (line.split("\t", -1).length == 2) {
        counts.merge(line, 1, Integer::sum);
      }
    }
    return counts;
  }

  private static void checkGateways(List<String> gateways, Set<String> ids, ChaosVerdict verdict)
      throws InterruptedException {
    verdict.invariant(GATEWAYS_AGREE);
    HttpClient http = HttpClient.newHttpClient();
    List<String> sample =
        new ArrayList<>(new TreeSet<>(ids)).subList(0, Math.min(SAMPLE, ids.size()));
    for (String id : sample) {
      for (String gateway : gateways) {
        String status = status(http, gateway, id);
        if (!"complete".equals(status)) {
          verdict.violation(GATEWAYS_AGREE, gateway + " says " + id + " is " + status);
        }
      }
    }
  }

  private static String status(HttpClient http, String gateway, String id)
      throws InterruptedException {
    String url =
        gateway
            + "/client/v4/accounts/"
            + ChaosCluster.ACCOUNT
            + "/workflows/"
            + ChaosWorkflow.NAME
            + "/instances/"
            + id;
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(url))
                  .header("Authorization", "Bearer " + ChaosCluster.TOKEN)
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return "HTTP " + response.statusCode();
      }
      JsonNode body = Json.parse(response.body());
      return body.path("result").path("status").asText("?");
    } catch (IOException e) {
      return "unreachable (" + e + ")";
    }
  }

  /**
   * Every committed history entry of the run, one per line in the order read, so a violation can be
   * traced to the records behind it after the cluster is gone.
   */
  private void writeHistory(List<HistoryEntry> entries) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("partition\tinstance\tgeneration\ttype\tat\tstep\twake_at\toutput");
    for (HistoryEntry e : entries) {
      lines.add(
          String.join(
              "\t",
              String.valueOf(e.partition()),
              e.instanceId(),
              String.valueOf(e.generation()),
              e.type().name(),
              String.valueOf(e.at()),
              String.valueOf(e.step()),
              String.valueOf(e.wakeAt()),
              String.valueOf(e.output()).replace('\t', ' ').replace('\n', ' ')));
    }
    Files.write(options.dir().resolve(HISTORY_FILE), lines, StandardCharsets.UTF_8);
  }

  private void write(ChaosVerdict verdict) throws IOException {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("passed", verdict.passed());
    result.put("violations", verdict.counts());
    result.put("figures", verdict.figures());
    result.put(
        "kills",
        kills.stream()
            .map(k -> Map.of("part", k.part(), "at", k.at(), "standbys", k.standbys()))
            .toList());
    Files.writeString(
        options.out(), Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(result));
  }
}
