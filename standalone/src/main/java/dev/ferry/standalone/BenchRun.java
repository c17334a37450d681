package dev.ferry.standalone;

import dev.ferry.examples.Examples;
import dev.ferry.gateway.GatewayConfig;
import dev.ferry.orchestrator.OrchestratorConfig;
import dev.ferry.schemas.config.FerryConfig;
import dev.ferry.worker.WorkerConfig;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One benchmark run: a fresh single-machine stack in a temporary directory (creation rate limit
 * lifted), warmed up, the scenarios asked for, and their figures printed and written as JSON with
 * the configuration they were measured with.
 */
final class BenchRun implements AutoCloseable {
  /** In-flight instances of the warm-up load. */
  static final int WARM_UP_CONCURRENCY = 64;

  private final DevStack stack;
  private final BenchLoad load;
  private final Map<String, Object> results = new LinkedHashMap<>();
  private final String scenario;

  private BenchRun(String scenario, DevStack stack) {
    this.scenario = scenario;
    this.stack = stack;
    this.load = new BenchLoad(stack);
  }

  /** Starts a fresh stack with {@code partitions} and prints the configuration it runs with. */
  static BenchRun start(String scenario, int partitions) throws Exception {
    Path dir = Files.createTempDirectory("ferry-bench");
    System.out.println("Starting a fresh stack in " + dir + " ...");
    DevStack stack =
        DevStack.start(
            new DevStack.Options(
                dir,
                0,
                0,
                0,
                // A load test: lift the per-workflow creation rate limit (100/s by default).
                Map.of(
                    FerryConfig.TOPIC_PARTITIONS,
                    partitions,
                    GatewayConfig.CREATE_RATE,
                    1_000_000,
                    WorkerConfig.ACCOUNTS,
                    BenchLoad.ACCOUNT)),
            Examples.registry()
                .register(BenchStepsWorkflow.NAME, BenchStepsWorkflow.class)
                .register(BenchEventWorkflow.NAME, BenchEventWorkflow.class));
    BenchRun run = new BenchRun(scenario, stack);
    run.results.put("scenario", scenario);
    run.results.put("started", LocalDateTime.now().withNano(0).toString());
    run.results.put("configuration", configuration(partitions));
    System.out.println("configuration: " + run.results.get("configuration"));
    return run;
  }

  /** What the figures depend on, as the orchestrator and workers of the stack read it. */
  private static Map<String, Object> configuration(int partitions) {
    OrchestratorConfig orchestrator =
        OrchestratorConfig.fromEnv(Map.of(FerryConfig.TOPIC_PARTITIONS, partitions));
    WorkerConfig worker = WorkerConfig.fromEnv(Map.of());
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("partitions", orchestrator.topicPartitions());
    config.put(
        "processing_guarantee", orchestrator.getString(OrchestratorConfig.PROCESSING_GUARANTEE));
    config.put("commit_interval_ms", orchestrator.getLong(OrchestratorConfig.COMMIT_INTERVAL_MS));
    config.put("poll_ms", orchestrator.getLong(OrchestratorConfig.POLL_MS));
    config.put("timer_tick_ms", orchestrator.getLong(OrchestratorConfig.TIMER_TICK_MS));
    config.put("orchestrator_linger_ms", orchestrator.getInt(OrchestratorConfig.LINGER_MS));
    config.put("worker_linger_ms", worker.getInt(WorkerConfig.LINGER_MS));
    config.put("worker_report_flush_ms", worker.getLong(WorkerConfig.REPORT_FLUSH_MS));
    config.put(
        "eager_commit_max_rate", orchestrator.getInt(OrchestratorConfig.EAGER_COMMIT_MAX_RATE));
    config.put("cores", Runtime.getRuntime().availableProcessors());
    return config;
  }

  /** Load at {@link #WARM_UP_CONCURRENCY} in flight, so the JIT has compiled the hot paths. */
  void warmUp(int seconds) throws InterruptedException {
    System.out.printf("warming up for %d s at %d in flight...%n", seconds, WARM_UP_CONCURRENCY);
    List<Long> done =
        load.run(
            seconds,
            WARM_UP_CONCURRENCY,
            (completed, left) ->
                System.out.printf("  warm-up: %d s left (%d completed so far)%n", left, completed));
    System.out.printf("  warm-up completed %d instances%n", done.size());
    results.put("warm_up_seconds", seconds);
  }

  /** Scenario latency: single instances one after the other, with where their time went. */
  void latency(int samples) throws Exception {
    List<Long> latencies = new ArrayList<>();
    Map<String, Long> starts = new LinkedHashMap<>();
    Map<String, Object> figures = new LinkedHashMap<>();
    try (HopTrace trace = new HopTrace(stack.bootstrapServers(), load.topics())) {
      load.onCreate(
          key -> {
            trace.trace(key);
            starts.put(key, System.nanoTime());
          });
      long nextNote = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      for (int i = 0; i < samples; i++) {
        latencies.add(load.startAndAwait().get(30, TimeUnit.SECONDS));
        if (System.nanoTime() > nextNote) {
          System.out.printf("  latency: %d of %d single instances%n", i + 1, samples);
          nextNote += TimeUnit.SECONDS.toNanos(5);
        }
      }
      load.onCreate(key -> {});
      figures.put("samples", samples);
      figures.putAll(percentiles(latencies));
      System.out.printf(
          "latency (create -> complete, %d single instances): %s%n", samples, describe(figures));
      figures.put("hops", hops(trace, starts));
    }
    results.put("latency", figures);
  }

  /**
   * Scenario throughput: {@code concurrency} in flight for {@code seconds}, CPU by thread; with
   * {@code traced}, where the time of every instance went (the trace's readers cost CPU too).
   */
  void throughput(int seconds, int concurrency, boolean traced) throws Exception {
    Map<String, Object> figures = new LinkedHashMap<>();
    Map<String, Long> starts = new java.util.concurrent.ConcurrentHashMap<>();
    try (HopTrace trace = traced ? new HopTrace(stack.bootstrapServers(), load.topics()) : null) {
      if (trace != null) {
        load.onCreate(
            key -> {
              trace.trace(key);
              starts.put(key, System.nanoTime());
            });
      }
      ThreadCpu.Sample before = ThreadCpu.sample();
      long processBefore = ThreadCpu.processNanos();
      long t0 = System.nanoTime();
      long[] last = {0};
      List<Long> latencies =
          load.run(
              seconds,
              concurrency,
              (completed, left) -> {
                System.out.printf(
                    "  ... %d completed (%d/s over the last 5 s)%n",
                    completed, (completed - last[0]) / 5);
                last[0] = completed;
              });
      long wall = System.nanoTime() - t0;
      long process = ThreadCpu.processNanos() - processBefore;
      Map<String, Long> byKind = ThreadCpu.byKind(before, ThreadCpu.sample());
      load.onCreate(key -> {});
      double perSecond = latencies.size() / (wall / 1e9);
      figures.put("seconds", seconds);
      figures.put("concurrency", concurrency);
      figures.put("completed", latencies.size());
      figures.put("completed_per_second", Math.round(perSecond));
      System.out.printf(
          "throughput: %d instances completed in %.1f s with %d in flight = %.0f instances/s%n",
          latencies.size(), wall / 1e9, concurrency, perSecond);
      Map<String, Object> underLoad = percentiles(latencies);
      figures.put("latency_under_load_ms", underLoad);
      System.out.println("  latency under load: " + describe(underLoad));
      figures.put("cpu_cores_used", round(process / (double) wall, 2));
      figures.put("cpu_percent_of_a_core_by_thread", cpu(byKind, wall, process));
      if (trace != null) {
        figures.put("hops_under_load", hops(trace, starts));
      }
    }
    results.put("throughput", figures);
  }

  /**
   * Scenario steps: one instance of {@code steps} tiny steps, with a 1 ms sleep after every {@code
   * sleepEvery} when that is above zero ({@link StepsScenario}).
   */
  void steps(int steps, int sleepEvery) throws Exception {
    results.put("steps", new StepsScenario(load).run(steps, sleepEvery));
  }

  /**
   * Scenario events: {@code instances} waiting for an event at once, then one event each at {@code
   * rate} a second ({@link EventsScenario}).
   */
  void events(int instances, int rate) throws Exception {
    results.put("events", new EventsScenario(load).run(instances, rate));
  }

  private static Map<String, Object> cpu(Map<String, Long> byKind, long wall, long process) {
    System.out.printf(
        "  CPU: %.2f cores of %d; busiest kinds of thread (%% of one core):%n",
        process / (double) wall, Runtime.getRuntime().availableProcessors());
    ThreadCpu.top(byKind, wall, 10).forEach(line -> System.out.println("    " + line));
    long inThreads = byKind.values().stream().mapToLong(Long::longValue).sum();
    double outside = 100.0 * Math.max(0, process - inThreads) / wall;
    System.out.printf(
        "    %5.1f %%  outside Java threads (garbage collection, JIT compilers)%n", outside);
    Map<String, Object> cpu = new LinkedHashMap<>();
    byKind.entrySet().stream()
        .limit(10)
        .forEach(e -> cpu.put(e.getKey(), round(100.0 * e.getValue() / wall, 1)));
    cpu.put("outside Java threads", round(outside, 1));
    return cpu;
  }

  /** Prints and returns the median and p90 of each hop of the traced instances. */
  private static Map<String, Object> hops(HopTrace trace, Map<String, Long> starts) {
    Map<String, Object> hops = new LinkedHashMap<>();
    System.out.println("  where the time went (from the previous point to this one):");
    trace
        .hops(starts)
        .forEach(
            (mark, ms) -> {
              Collections.sort(ms);
              if (ms.isEmpty()) {
                return;
              }
              double p50 = ms.get(ms.size() / 2);
              double p90 = ms.get(Math.min(ms.size() - 1, ms.size() * 9 / 10));
              System.out.printf(
                  "    %-20s p50 %6.1f ms, p90 %6.1f ms  %s%n",
                  mark.name().toLowerCase(java.util.Locale.ROOT), p50, p90, mark.meaning);
              hops.put(
                  mark.name().toLowerCase(java.util.Locale.ROOT),
                  Map.of("p50_ms", round(p50, 2), "p90_ms", round(p90, 2), "n", ms.size()));
            });
    return hops;
  }

  /** p50, p90, p99, p99.9 and max of nanosecond latencies, in ms. */
  static Map<String, Object> percentiles(List<Long> nanos) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    Map<String, Object> figures = new LinkedHashMap<>();
    if (sorted.isEmpty()) {
      return figures;
    }
    figures.put("p50_ms", percentile(sorted, 50));
    figures.put("p90_ms", percentile(sorted, 90));
    figures.put("p99_ms", percentile(sorted, 99));
    figures.put("p99_9_ms", percentile(sorted, 99.9));
    figures.put("max_ms", round(sorted.get(sorted.size() - 1) / 1e6, 1));
    return figures;
  }

  private static double percentile(List<Long> sorted, double p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return round(sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1e6, 1);
  }

  static String describe(Map<String, Object> figures) {
    return String.format(
        "p50 %s ms, p90 %s ms, p99 %s ms, p99.9 %s ms, max %s ms",
        figures.get("p50_ms"),
        figures.get("p90_ms"),
        figures.get("p99_ms"),
        figures.get("p99_9_ms"),
        figures.get("max_ms"));
  }

  static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }

  /** Prints the memory figures and writes every figure to {@code out} (or a dated default). */
  void finish(Path out) throws Exception {
    var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    Map<String, Object> memory = new LinkedHashMap<>();
    memory.put("heap_used_mb", heap.getUsed() >> 20);
    memory.put("heap_committed_mb", heap.getCommitted() >> 20);
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:") || line.startsWith("VmHWM:")) {
        memory.put(
            line.substring(2, 5).toLowerCase(java.util.Locale.ROOT) + "_mb",
            Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10);
      }
    }
    System.out.println("memory (whole stack in this JVM): " + memory);
    results.put("memory", memory);
    Path file =
        out != null
            ? out
            : Path.of(
                "ferry-bench-"
                    + scenario
                    + "-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                    + ".json");
    Files.writeString(file, dev.ferry.schemas.Json.write(results) + "\n");
    System.out.println("figures written to " + file.toAbsolutePath());
  }

  @Override
  public void close() throws Exception {
    load.close();
    stack.close();
  }
}
