package dev.ferry.standalone;

import dev.ferry.schemas.InstanceKey;
import dev.ferry.schemas.avro.InstanceStatusCode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The events scenario of {@link BenchRun}: many instances of {@link BenchEventWorkflow} waiting at
 * once, then one event each at a fixed rate (an open loop: the next event goes out on time however
 * the stack keeps up, up to {@link #EVENTS_IN_FLIGHT} unanswered), timed from when it was due to
 * its answer and to its instance's completion.
 */
final class EventsScenario {
  /** Creates in flight while the instances are created. */
  static final int CREATES_IN_FLIGHT = 256;

  /**
   * Events sent and not answered yet, at most: each holds an HTTP connection (two descriptors in
   * this JVM), and a stack that falls behind would otherwise run out of them. When the cap holds
   * the sender back, latencies still count from each event's scheduled time, so the wait shows.
   */
  static final int EVENTS_IN_FLIGHT = 1_000;

  private final BenchLoad load;

  EventsScenario(BenchLoad load) {
    this.load = load;
  }

  Map<String, Object> run(int instances, int rate) throws Exception {
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("instances", instances);
    figures.put("events_per_second_asked", rate);
    List<String> ids = new ArrayList<>(instances);
    Map<String, String> idsByKey = new ConcurrentHashMap<>();
    for (int i = 1; i <= instances; i++) {
      String id = "e-" + i;
      ids.add(id);
      idsByKey.put(InstanceKey.of(BenchLoad.ACCOUNT, BenchEventWorkflow.NAME, id).toString(), id);
    }
    Map<String, Long> sent = new ConcurrentHashMap<>();
    List<Long> completed = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch waiting = new CountDownLatch(instances);
    CountDownLatch done = new CountDownLatch(instances);
    java.util.Set<String> seenWaiting = ConcurrentHashMap.newKeySet();
    load.onStatus(
        (key, status) -> {
          if (!idsByKey.containsKey(key)) {
            return;
          }
          if (status == InstanceStatusCode.WAITING && seenWaiting.add(key)) {
            waiting.countDown();
          } else if (status == InstanceStatusCode.COMPLETE) {
            Long t0 = sent.remove(key);
            if (t0 != null) {
              completed.add(System.nanoTime() - t0);
              done.countDown();
            }
          }
        });
    try {
      double createSeconds = createAll(ids, waiting);
      figures.put("seconds_until_all_waiting", BenchRun.round(createSeconds, 1));
      figures.put("created_per_second", Math.round(instances / createSeconds));
      System.out.printf(
          "events: %d instances created and waiting in %.1f s = %.0f/s%n",
          instances, createSeconds, instances / createSeconds);
      List<Long> answers = Collections.synchronizedList(new ArrayList<>());
      double sendSeconds = sendAll(ids, rate, sent, answers, done);
      figures.put("events_per_second_sent", Math.round(instances / sendSeconds));
      Map<String, Object> answered = BenchRun.percentiles(answers);
      Map<String, Object> resumed = BenchRun.percentiles(completed);
      figures.put("event_to_answer_ms", answered);
      figures.put("event_to_complete_ms", resumed);
      System.out.printf(
          "  %d events sent at %.0f/s (asked %d/s)%n", instances, instances / sendSeconds, rate);
      System.out.println(
          "  event -> HTTP 200 (the orchestrator took it): " + BenchRun.describe(answered));
      System.out.println(
          "  event -> instance complete (resumed and ran): " + BenchRun.describe(resumed));
    } finally {
      load.onStatus((key, status) -> {});
    }
    return figures;
  }

  /** Creates every instance, at most {@link #CREATES_IN_FLIGHT} at once; seconds until all wait. */
  private double createAll(List<String> ids, CountDownLatch waiting) throws Exception {
    Semaphore slots = new Semaphore(CREATES_IN_FLIGHT);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicLong created = new AtomicLong();
    java.util.function.Supplier<String> progress =
        () ->
            "created "
                + created.get()
                + " of "
                + ids.size()
                + ", "
                + (ids.size() - waiting.getCount())
                + " waiting";
    long t0 = System.nanoTime();
    long nextNote = t0 + TimeUnit.SECONDS.toNanos(5);
    for (String id : ids) {
      while (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
        nextNote = note(nextNote, progress);
      }
      failed(failure);
      load.create(BenchEventWorkflow.NAME, id, "{}")
          .whenComplete(
              (ok, error) -> {
                if (error != null) {
                  failure.compareAndSet(null, error);
                } else {
                  created.incrementAndGet();
                }
                slots.release();
              });
      nextNote = note(nextNote, progress);
    }
    while (!waiting.await(5, TimeUnit.SECONDS)) {
      failed(failure);
      System.out.println("  " + progress.get());
      if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(60 + ids.size() / 50)) {
        throw new IllegalStateException(
            waiting.getCount() + " instances were not waiting for their event in time");
      }
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /**
   * One event per instance at {@code rate} a second, on schedule; returns the seconds the sending
   * took, once every instance completed.
   */
  private double sendAll(
      List<String> ids, int rate, Map<String, Long> sent, List<Long> answers, CountDownLatch done)
      throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicLong inFlight = new AtomicLong();
    Semaphore slots = new Semaphore(EVENTS_IN_FLIGHT);
    long t0 = System.nanoTime();
    long nextNote = t0 + TimeUnit.SECONDS.toNanos(5);
    for (int i = 0; i < ids.size(); i++) {
      long due = t0 + (long) (i * 1e9 / rate);
      // Pacing an open-loop load generator: wait for this event's send time.
      for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
        LockSupport.parkNanos(due - now);
      }
      failed(failure);
      String id = ids.get(i);
      // Timed from when the event was due, not from when the cap let it go.
      long start = due;
      sent.put(InstanceKey.of(BenchLoad.ACCOUNT, BenchEventWorkflow.NAME, id).toString(), start);
      slots.acquire();
      inFlight.incrementAndGet();
      load.sendEvent(BenchEventWorkflow.NAME, id, BenchEventWorkflow.EVENT_TYPE, "\"go " + i + "\"")
          .whenComplete(
              (ok, error) -> {
                inFlight.decrementAndGet();
                slots.release();
                if (error != null) {
                  failure.compareAndSet(null, error);
                } else {
                  answers.add(System.nanoTime() - start);
                }
              });
      int count = i + 1;
      nextNote =
          note(
              nextNote,
              () ->
                  "sent "
                      + count
                      + " of "
                      + ids.size()
                      + ", "
                      + (ids.size() - done.getCount())
                      + " complete, "
                      + inFlight.get()
                      + " unanswered");
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    while (!done.await(5, TimeUnit.SECONDS)) {
      failed(failure);
      System.out.printf("  %d of %d complete%n", ids.size() - done.getCount(), ids.size());
      if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(60 + ids.size() / 50)) {
        throw new IllegalStateException(done.getCount() + " instances did not complete in time");
      }
    }
    failed(failure);
    return seconds;
  }

  /** Prints {@code line} when {@code nextNote} has passed; returns when to print next. */
  private static long note(long nextNote, java.util.function.Supplier<String> line) {
    if (System.nanoTime() < nextNote) {
      return nextNote;
    }
    System.out.println("  " + line.get());
    return nextNote + TimeUnit.SECONDS.toNanos(5);
  }

  private static void failed(AtomicReference<Throwable> failure) {
    if (failure.get() != null) {
      throw new IllegalStateException("a request failed: " + failure.get(), failure.get());
    }
  }
}
