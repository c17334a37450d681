package dev.ferry.standalone.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Phaser;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The chaos load: creates instances of every {@link ChaosKind} at a steady rate through the
 * gateways in turn, sends the events of the event instances and pauses and resumes the pause
 * instances, each request retried on the other gateway until one acknowledges it (creates by their
 * instance id and events by their idempotency key, so a retry never doubles anything). It keeps
 * exactly what was acknowledged: the checks hold the engine to that and to nothing else.
 */
final class ChaosLoad implements AutoCloseable {
  /** A request is retried this long before the run gives up on it. */
  private static final Duration PERSIST = Duration.ofMinutes(3);

  private static final Duration BACKOFF = Duration.ofMillis(250);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<String> gateways;
  private final String token;
  private final double ratePerSecond;
  private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
  private final ScheduledExecutorService followUps = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService requests = Executors.newCachedThreadPool();
  private final Phaser pending = new Phaser(1);
  private final AtomicLong next = new AtomicLong();
  private final AtomicInteger turn = new AtomicInteger();
  private final AtomicLong retries = new AtomicLong();
  private final Map<String, ChaosKind> acknowledged = new ConcurrentHashMap<>();
  private final Map<String, List<String>> eventsSent = new ConcurrentHashMap<>();
  private final List<String> refused = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicLong> retriedBecause = new ConcurrentHashMap<>();

  ChaosLoad(List<String> gateways, String account, String token, double ratePerSecond) {
    this.gateways =
        gateways.stream()
            .map(base -> base + "/client/v4/accounts/" + account + "/workflows/")
            .toList();
    this.token = token;
    this.ratePerSecond = ratePerSecond;
  }

  void start() {
    long periodMicros = Math.round(1_000_000 / ratePerSecond);
    clock.scheduleAtFixedRate(this::createNext, 0, periodMicros, TimeUnit.MICROSECONDS);
  }

  /** Stops creating; what was created still gets its events, pauses and resumes. */
  void stopCreating() throws InterruptedException {
    clock.shutdown();
    clock.awaitTermination(10, TimeUnit.SECONDS);
  }

  /** Waits until every request still in flight has been acknowledged or given up. */
  void awaitRequests(Duration timeout) throws InterruptedException, TimeoutException {
    int phase = pending.arrive();
    pending.awaitAdvanceInterruptibly(phase, timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  Map<String, ChaosKind> acknowledged() {
    return Map.copyOf(acknowledged);
  }

  Map<String, List<String>> eventsSent() {
    Map<String, List<String>> copy = new ConcurrentHashMap<>();
    eventsSent.forEach((id, payloads) -> copy.put(id, List.copyOf(payloads)));
    return copy;
  }

  /** Requests a gateway refused outright (4xx): a broken run, not a crash's doing. */
  List<String> refused() {
    return List.copyOf(refused);
  }

  String progress() {
    return String.format(
        "%d created, %d acknowledged, requests retried: %s",
        next.get(), acknowledged.size(), retried());
  }

  /** How many tries of requests failed and were tried again, and why: "16 (HTTP 504: 11, ...)". */
  String retried() {
    StringBuilder out = new StringBuilder().append(retries.get());
    if (!retriedBecause.isEmpty()) {
      StringBuilder reasons = new StringBuilder();
      new TreeMap<>(retriedBecause)
          .forEach(
              (reason, count) ->
                  reasons.append(reasons.isEmpty() ? "" : ", ").append(reason + ": " + count));
      out.append(" (").append(reasons).append(')');
    }
    return out.toString();
  }

  private void createNext() {
    long n = next.getAndIncrement();
    String id = "c-" + n;
    ChaosKind kind = ChaosKind.forInstance(n);
    // 1 to 5 s: short enough for a run of minutes, long enough to span the kills.
    long sleepMs = kind == ChaosKind.PAUSE ? 3_000 : 1_000 + (n % 5) * 1_000;
    String body =
        String.format(
            "{\"instance_id\":\"%s\",\"params\":{\"kind\":\"%s\",\"sleepMs\":%d}}",
            id, kind.name(), sleepMs);
    submit(
        () -> {
          int status = send("POST", ChaosWorkflow.NAME + "/instances", body, null);
          // 409: an earlier try was created although its answer was lost.
          if (status == 201 || status == 409) {
            acknowledged.put(id, kind);
            afterCreate(id, kind);
          } else {
            refused.add("create " + id + ": HTTP " + status);
          }
        });
  }

  private void afterCreate(String id, ChaosKind kind) {
    if (kind == ChaosKind.EVENTS) {
      later(Duration.ofMillis(300), () -> sendEvents(id));
    } else if (kind == ChaosKind.PAUSE) {
      later(Duration.ofMillis(500), () -> pauseThenResume(id));
    }
  }

  private void sendEvents(String id) throws Exception {
    String path = ChaosWorkflow.NAME + "/instances/" + id + "/events/" + ChaosWorkflow.EVENT_TYPE;
    for (int i = 1; i <= ChaosKind.EVENT_WAITS.size(); i++) {
      String payload = "e-" + id + "-" + i;
      int status = send("POST", path, "\"" + payload + "\"", id + "-" + i);
      // 409: an earlier try with this idempotency key was delivered although its answer was lost.
      if (status / 100 == 2 || status == 409) {
        eventsSent.computeIfAbsent(id, key -> new CopyOnWriteArrayList<>()).add(payload);
      } else {
        refused.add("event " + payload + ": HTTP " + status);
      }
    }
  }

  private void pauseThenResume(String id) throws Exception {
    String path = ChaosWorkflow.NAME + "/instances/" + id + "/status";
    int paused = send("PATCH", path, "{\"status\":\"pause\"}", null);
    if (paused / 100 != 2) {
      return; // not pausable any more (e.g. already complete): nothing to resume
    }
    later(
        Duration.ofMillis(1_500),
        () -> {
          int resumed = send("PATCH", path, "{\"status\":\"resume\"}", null);
          if (resumed / 100 != 2) {
            refused.add("resume " + id + ": HTTP " + resumed);
          }
        });
  }

  /**
   * Sends a request to the gateways in turn until one answers with anything but a 5xx; returns that
   * status, or 0 when none did within {@link #PERSIST}.
   */
  private int send(String method, String path, String body, String idempotencyKey)
      throws InterruptedException {
    long deadline = System.nanoTime() + PERSIST.toNanos();
    while (System.nanoTime() < deadline) {
      String base = gateways.get(Math.floorMod(turn.getAndIncrement(), gateways.size()));
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(base + path))
              .method(method, HttpRequest.BodyPublishers.ofString(body))
              .header("Authorization", "Bearer " + token)
              .header("content-type", "application/json")
              .timeout(Duration.ofSeconds(40));
      if (idempotencyKey != null) {
        request.header("Idempotency-Key", idempotencyKey);
      }
      String reason;
      try {
        int status =
            http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status < 500) {
          return status;
        }
        reason = "HTTP " + status;
      } catch (IOException e) {
        // a gateway being killed or restarted: the other one gets the retry
        reason = e.getClass().getSimpleName();
      }
      retries.incrementAndGet();
      retriedBecause.computeIfAbsent(reason, key -> new AtomicLong()).incrementAndGet();
      Thread.sleep(BACKOFF.toMillis()); // backoff between retries of a failed request
    }
    return 0;
  }

  private interface Action {
    void run() throws Exception;
  }

  /** Runs {@code action} now on a request thread; the run waits for it in awaitRequests. */
  private void submit(Action action) {
    pending.register();
    requests.submit(() -> runCounted(action));
  }

  /** As {@link #submit}, after {@code delay} (on a clock of its own: creating may have stopped). */
  private void later(Duration delay, Action action) {
    pending.register();
    followUps.schedule(
        () -> requests.submit(() -> runCounted(action)), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void runCounted(Action action) {
    try {
      action.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      refused.add("request failed: " + e);
    } finally {
      pending.arriveAndDeregister();
    }
  }

  @Override
  public void close() {
    clock.shutdownNow();
    followUps.shutdownNow();
    requests.shutdownNow();
  }
}
