package dev.ferry.standalone;

import dev.ferry.examples.Examples;
import dev.ferry.examples.ThreeStepWorkflow;
import dev.ferry.orchestrator.OrchestratorConfig;
import dev.ferry.schemas.InstanceKey;
import dev.ferry.schemas.KafkaClients;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.avro.InstanceSnapshot;
import dev.ferry.schemas.avro.InstanceStatusCode;
import dev.ferry.schemas.config.FerryConfig;
import dev.ferry.schemas.registry.SchemaRegistryClients;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ferry bench}: starts a fresh single-machine stack and measures the three-step example.
 * Latency is create (HTTP POST) to the COMPLETE record on the status topic, one instance at a time;
 * throughput keeps {@code --concurrency} instances in flight for {@code --seconds}.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    subcommands = {ReadModelBench.class, IdleBench.class},
    description = {
      "Benchmark a fresh single-machine stack with the three-step example and print figures:"
          + " p50/p99 create-to-complete latency of single instances, then completed instances per"
          + " second with --concurrency instances in flight for --seconds, with heap and RSS.",
      "`ferry bench read-model` measures the gateway's read model with many retained instances;"
          + " `ferry bench idle` what a stack costs with no load."
    })
final class BenchCommand implements Callable<Integer> {
  @Option(
      names = "--samples",
      defaultValue = "300",
      description = "Single instances timed for latency (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(
      names = "--seconds",
      defaultValue = "30",
      description = "Length of the throughput run (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(
      names = "--concurrency",
      defaultValue = "256",
      description = "Instances in flight during the throughput run (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--warmup-seconds",
      defaultValue = "40",
      description =
          "Load at --concurrency before measuring, so the JIT has compiled the hot paths (default: ${DEFAULT-VALUE}).")
  int warmupSeconds;

  @Option(
      names = "--partitions",
      defaultValue = "2",
      description =
          "Partitions of the stack's topics, as for `ferry dev` (default: ${DEFAULT-VALUE}).")
  int partitions;

  private final Map<String, Long> started = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Long>> waiting = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();

  private static final String BENCH_ACCOUNT = "bench";
  private volatile String token;

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("ferry-bench");
    System.out.println("Starting a fresh stack in " + dir + " ...");
    try (DevStack stack =
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
                    dev.ferry.gateway.GatewayConfig.CREATE_RATE,
                    1_000_000,
                    dev.ferry.worker.WorkerConfig.ACCOUNTS,
                    BENCH_ACCOUNT)),
            Examples.registry())) {
      OrchestratorConfig orchestrator =
          OrchestratorConfig.fromEnv(Map.of(FerryConfig.TOPIC_PARTITIONS, partitions));
      System.out.printf(
          "exactly-once: %s, commit.interval.ms=%d, poll.ms=%d, orchestrator linger.ms=%d, partitions=%d%n",
          orchestrator.getString(OrchestratorConfig.PROCESSING_GUARANTEE),
          orchestrator.getLong(OrchestratorConfig.COMMIT_INTERVAL_MS),
          orchestrator.getLong(OrchestratorConfig.POLL_MS),
          orchestrator.getInt(OrchestratorConfig.LINGER_MS),
          orchestrator.topicPartitions());
      AtomicBoolean running = new AtomicBoolean(true);
      Thread watcher = new Thread(() -> watchCompletions(stack, running), "bench-status");
      watcher.start();
      HttpClient http = HttpClient.newBuilder().build();
      token = stack.token(BENCH_ACCOUNT);
      String url =
          stack.gatewayUrl()
              + "/client/v4/accounts/"
              + BENCH_ACCOUNT
              + "/workflows/"
              + ThreeStepWorkflow.NAME
              + "/instances";

      System.out.printf("warming up for %d s at %d in flight...%n", warmupSeconds, concurrency);
      long warm = runForSeconds(http, url, warmupSeconds, Phase.WARM_UP);
      System.out.printf("  warm-up completed %d instances%n", warm);
      List<Long> latencies = new ArrayList<>();
      for (int i = 0; i < samples; i++) {
        latencies.add(startAndAwait(http, url).get(30, TimeUnit.SECONDS));
      }
      Collections.sort(latencies);
      System.out.printf(
          "latency (create -> complete, %d single instances): p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
          samples,
          percentile(latencies, 50),
          percentile(latencies, 90),
          percentile(latencies, 99),
          latencies.get(latencies.size() - 1) / 1e6);

      long t0 = System.nanoTime();
      long done = runForSeconds(http, url, seconds, Phase.MEASURED);
      double elapsed = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          "throughput: %d instances completed in %.1f s with %d in flight = %.0f instances/s%n",
          done, elapsed, concurrency, done / elapsed);
      printMemory();
      running.set(false);
      watcher.join(5_000);
    }
    return 0;
  }

  /** What a timed run prints every 5 s: a countdown while warming up, the rate when measured. */
  private enum Phase {
    WARM_UP,
    MEASURED
  }

  private long runForSeconds(HttpClient http, String url, int seconds, Phase phase)
      throws InterruptedException {
    Semaphore slots = new Semaphore(concurrency);
    AtomicLong completed = new AtomicLong();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    long lastCount = 0;
    while (System.nanoTime() < deadline) {
      if (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
        continue;
      }
      startAndAwait(http, url)
          .whenComplete(
              (latency, error) -> {
                if (error == null) {
                  completed.incrementAndGet();
                }
                slots.release();
              });
      if (System.nanoTime() > nextReport) {
        long now = completed.get();
        if (phase == Phase.WARM_UP) {
          System.out.printf(
              "  warm-up: %d s left (%d completed so far)%n",
              Math.max(0, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime())), now);
        } else {
          System.out.printf(
              "  ... %d completed (%d/s over the last 5 s)%n", now, (now - lastCount) / 5);
        }
        lastCount = now;
        nextReport += TimeUnit.SECONDS.toNanos(5);
      }
    }
    // Let the instances still in flight finish so they do not spill into the next phase.
    slots.acquire(concurrency);
    slots.release(concurrency);
    return completed.get();
  }

  /** Creates one instance; the future completes with its create-to-complete time in ns. */
  private CompletableFuture<Long> startAndAwait(HttpClient http, String url) {
    String id = "b-" + ids.incrementAndGet();
    String key = InstanceKey.of(BENCH_ACCOUNT, ThreeStepWorkflow.NAME, id).toString();
    CompletableFuture<Long> done = new CompletableFuture<>();
    waiting.put(key, done);
    started.put(key, System.nanoTime());
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"instance_id\":\"" + id + "\",\"params\":{\"value\":7}}"))
            .header("content-type", "application/json")
            .header("Authorization", "Bearer " + token)
            .build();
    http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .whenComplete(
            (response, error) -> {
              if (error != null || response.statusCode() != 201) {
                waiting.remove(key);
                done.completeExceptionally(
                    new IllegalStateException(error != null ? error.toString() : response.body()));
              }
            });
    return done.orTimeout(60, TimeUnit.SECONDS);
  }

  private void watchCompletions(DevStack stack, AtomicBoolean running) {
    Topics topics = new Topics("workflows.", SchemaRegistryClients.forUrl(stack.registryUrl()));
    try (var consumer =
        new KafkaConsumer<>(
            KafkaClients.committedReader(stack.bootstrapServers(), "ferry-bench-status"),
            new StringDeserializer(),
            topics.serde(Topics.STATUS).deserializer())) {
      KafkaClients.startAtEnd(
          consumer, KafkaClients.assignAll(consumer, topics.name(Topics.STATUS)));
      while (running.get()) {
        for (var record : consumer.poll(Duration.ofMillis(50))) {
          InstanceSnapshot snapshot = record.value();
          if (snapshot != null && snapshot.getStatus() == InstanceStatusCode.COMPLETE) {
            Long t0 = started.remove(record.key());
            CompletableFuture<Long> done = waiting.remove(record.key());
            if (t0 != null && done != null) {
              done.complete(System.nanoTime() - t0);
            }
          }
        }
      }
    }
  }

  private static double percentile(List<Long> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1e6;
  }

  private static void printMemory() throws Exception {
    var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    String rss =
        Files.readAllLines(Path.of("/proc/self/status")).stream()
            .filter(line -> line.startsWith("VmRSS") || line.startsWith("VmHWM"))
            .map(line -> line.replaceAll("\\s+", " "))
            .reduce((a, b) -> a + ", " + b)
            .orElse("n/a");
    System.out.printf(
        "memory (whole stack in this JVM): heap used %d MB of %d MB committed; %s%n",
        heap.getUsed() >> 20, heap.getCommitted() >> 20, rss);
  }
}
