package dev.ferry.standalone;

import dev.ferry.examples.ThreeStepWorkflow;
import dev.ferry.schemas.InstanceKey;
import dev.ferry.schemas.KafkaClients;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.avro.InstanceSnapshot;
import dev.ferry.schemas.avro.InstanceStatusCode;
import dev.ferry.schemas.registry.SchemaRegistryClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The benchmarks' load generator over a running stack: creates three-step instances over HTTP and
 * learns of their completion from the status topic (read committed, as any client would), so a
 * latency is HTTP create to the {@code complete} record.
 */
final class BenchLoad implements AutoCloseable {
  static final String ACCOUNT = "bench";

  private final DevStack stack;
  private final Topics topics;
  private final HttpClient http = HttpClient.newBuilder().build();
  private final String url;
  private final String token;
  private final Map<String, Long> started = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Long>> waiting = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread watcher;

  /** Told of every instance created, with its key, just before its create is sent. */
  private volatile Consumer<String> onCreate = key -> {};

  /** Told of every status record read, with the instance's key. */
  private volatile java.util.function.BiConsumer<String, InstanceStatusCode> onStatus =
      (key, status) -> {};

  BenchLoad(DevStack stack) {
    this.stack = stack;
    this.topics = new Topics("workflows.", SchemaRegistryClients.forUrl(stack.registryUrl()));
    this.token = stack.token(ACCOUNT);
    this.url = stack.gatewayUrl() + "/client/v4/accounts/" + ACCOUNT + "/workflows/";
    this.watcher = new Thread(this::watchCompletions, "bench-status");
    watcher.start();
  }

  Topics topics() {
    return topics;
  }

  /** Each instance created from now on is passed to {@code onCreate} (a trace, say). */
  void onCreate(Consumer<String> onCreate) {
    this.onCreate = onCreate;
  }

  /** Each status record read from now on is passed to {@code onStatus} (on the reader thread). */
  void onStatus(java.util.function.BiConsumer<String, InstanceStatusCode> onStatus) {
    this.onStatus = onStatus;
  }

  /** Creates an instance of {@code workflow} with {@code params} (JSON); completes on the 201. */
  CompletableFuture<Void> create(String workflow, String id, String params) {
    return send(
            HttpRequest.newBuilder(URI.create(instancesUrl(workflow, null)))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"instance_id\":\"" + id + "\",\"params\":" + params + "}")),
            201)
        .thenApply(response -> null);
  }

  /** Sends an event of {@code type} with {@code payload} (JSON); completes on the 200. */
  CompletableFuture<Void> sendEvent(String workflow, String id, String type, String payload) {
    return send(
            HttpRequest.newBuilder(URI.create(instancesUrl(workflow, id) + "/events/" + type))
                .POST(HttpRequest.BodyPublishers.ofString(payload)),
            200)
        .thenApply(response -> null);
  }

  private CompletableFuture<HttpResponse<String>> send(HttpRequest.Builder request, int expected) {
    return http.sendAsync(
            request
                .header("content-type", "application/json")
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .thenApply(
            response -> {
              if (response.statusCode() != expected) {
                throw new IllegalStateException(
                    response.request().uri()
                        + " answered "
                        + response.statusCode()
                        + ": "
                        + response.body());
              }
              return response;
            });
  }

  /**
   * Creates one three-step instance; the future completes with its create-to-complete time in ns.
   */
  CompletableFuture<Long> startAndAwait() {
    return startAndAwait(ThreeStepWorkflow.NAME, "{\"value\":7}", Duration.ofSeconds(60));
  }

  /** The URL of a workflow's instances, and of one instance when {@code id} is not null. */
  String instancesUrl(String workflow, String id) {
    return url + workflow + "/instances" + (id == null ? "" : "/" + id);
  }

  /** GET of an instance (JSON as the API gives it). */
  String getInstance(String workflow, String id) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(instancesUrl(workflow, id)))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET " + id + ": " + response.body());
    }
    return response.body();
  }

  /**
   * Creates one instance of {@code workflow} with {@code params} (JSON); the future completes with
   * its create-to-complete time in ns, or fails after {@code timeout}.
   */
  CompletableFuture<Long> startAndAwait(String workflow, String params, Duration timeout) {
    String id = "b-" + ids.incrementAndGet();
    String key = InstanceKey.of(ACCOUNT, workflow, id).toString();
    CompletableFuture<Long> done = new CompletableFuture<>();
    waiting.put(key, done);
    onCreate.accept(key);
    started.put(key, System.nanoTime());
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(instancesUrl(workflow, null)))
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"instance_id\":\"" + id + "\",\"params\":" + params + "}"))
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
    return done.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The create times (System.nanoTime) of the instances still known, by key. */
  Map<String, Long> startTimes() {
    return started;
  }

  /** What {@link #run} reports as it goes. */
  interface Progress {
    void every5Seconds(long completed, long secondsLeft);
  }

  /**
   * Keeps {@code concurrency} instances in flight for {@code seconds}, then waits for those still
   * in flight; returns the create-to-complete times (ns) of the instances completed.
   */
  List<Long> run(int seconds, int concurrency, Progress progress) throws InterruptedException {
    Semaphore slots = new Semaphore(concurrency);
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      if (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
        continue;
      }
      startAndAwait()
          .whenComplete(
              (latency, error) -> {
                if (error == null) {
                  latencies.add(latency);
                }
                slots.release();
              });
      if (System.nanoTime() > nextReport) {
        progress.every5Seconds(
            latencies.size(),
            Math.max(0, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime())));
        nextReport += TimeUnit.SECONDS.toNanos(5);
      }
    }
    // Let the instances still in flight finish so they do not spill into the next phase.
    slots.acquire(concurrency);
    slots.release(concurrency);
    synchronized (latencies) {
      return new ArrayList<>(latencies);
    }
  }

  private void watchCompletions() {
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
          if (snapshot != null) {
            onStatus.accept(record.key(), snapshot.getStatus());
          }
          if (snapshot != null && snapshot.getStatus() == InstanceStatusCode.COMPLETE) {
            Long t0 = started.get(record.key());
            CompletableFuture<Long> done = waiting.remove(record.key());
            if (t0 != null && done != null) {
              done.complete(System.nanoTime() - t0);
            }
          } else if (snapshot != null
              && (snapshot.getStatus() == InstanceStatusCode.ERRORED
                  || snapshot.getStatus() == InstanceStatusCode.TERMINATED)) {
            CompletableFuture<Long> done = waiting.remove(record.key());
            if (done != null) {
              done.completeExceptionally(
                  new IllegalStateException(
                      record.key()
                          + " ended "
                          + snapshot.getStatus()
                          + ": "
                          + snapshot.getError()));
            }
          }
        }
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    watcher.join(5_000);
  }
}
