package dev.ferry.standalone;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The steps scenario of {@link BenchRun}: one long instance of {@link BenchStepsWorkflow}, the time
 * per step early, midway and late in the run, what each sleep's round trip costs, and the bytes the
 * broker took in per step.
 */
final class StepsScenario {
  private final BenchLoad load;

  StepsScenario(BenchLoad load) {
    this.load = load;
  }

  /**
   * Scenario steps: one instance of {@code steps} tiny steps; the time per step early, midway and
   * at the end of the run (from when each step's body ran), and the bytes the broker took in per
   * step, by topic.
   */
  Map<String, Object> run(int steps, int sleepEvery) throws Exception {
    Map<String, Object> figures = new LinkedHashMap<>();
    String[] key = {null};
    load.onCreate(created -> key[0] = created);
    Map<String, Long> bytesBefore = BrokerBytes.byTopic();
    long t0 = System.nanoTime();
    var done =
        load.startAndAwait(
            BenchStepsWorkflow.NAME,
            "{\"steps\":" + steps + ",\"sleepEvery\":" + sleepEvery + "}",
            java.time.Duration.ofSeconds(60 + steps / 10));
    load.onCreate(created -> {});
    String id = dev.ferry.schemas.InstanceKey.parse(key[0]).instanceId();
    while (!done.isDone()) {
      try {
        done.get(5, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException stillRunning) {
        System.out.printf(
            "  steps: %s of %d recorded after %.0f s%n",
            dev.ferry.schemas.Json.parse(load.getInstance(BenchStepsWorkflow.NAME, id))
                .path("result")
                .path("step_count")
                .asText("?"),
            steps,
            (System.nanoTime() - t0) / 1e9);
      }
    }
    long total = done.get();
    Map<String, Long> bytes = BrokerBytes.since(bytesBefore, BrokerBytes.byTopic());
    Recorded recorded = stepTimes(id, steps);
    List<Long> ran = recorded.ran();
    figures.put("steps", steps);
    figures.put("sleep_every", sleepEvery);
    figures.put("create_to_complete_ms", BenchRun.round(total / 1e6, 1));
    figures.put("ms_per_step_overall", BenchRun.round(total / 1e6 / steps, 4));
    System.out.printf(
        "steps: one instance of %d steps%s completed in %.1f s = %.3f ms per step, create to"
            + " complete%n",
        steps,
        sleepEvery > 0 ? " with a 1 ms sleep every " + sleepEvery : "",
        total / 1e9,
        total / 1e6 / steps);
    // Windows of whole sleep periods (ten when there are sleeps), so each holds the same share of
    // round trips.
    int window = Math.max(1, Math.min(sleepEvery > 0 ? 10 * sleepEvery : 100, steps / 4));
    Map<String, Object> median = new LinkedHashMap<>();
    Map<String, Object> mean = new LinkedHashMap<>();
    for (int from : new int[] {Math.min(10, steps - window), steps / 2, steps - window}) {
      // A step itself: the median gap between one step's body and the next. With sleeps, the
      // mean over the window also holds its share of the round trips and replays.
      List<Long> gaps = new ArrayList<>();
      int to = Math.min(steps, from + window);
      for (int i = Math.max(1, from); i < to; i++) {
        gaps.add(ran.get(i) - ran.get(i - 1));
      }
      Collections.sort(gaps);
      double medianMs = gaps.isEmpty() ? 0 : gaps.get(gaps.size() / 2) / 1e6;
      double meanMs =
          gaps.isEmpty()
              ? 0
              : (ran.get(to - 1) - ran.get(Math.max(1, from) - 1)) / 1e6 / gaps.size();
      String name = "steps " + (from + 1) + "-" + to;
      median.put(name, BenchRun.round(medianMs, 4));
      mean.put(name, BenchRun.round(meanMs, 4));
      System.out.printf(
          "  %-20s %.3f ms per step (median), %.3f ms (mean)%n", name, medianMs, meanMs);
    }
    figures.put("ms_per_step_median", median);
    figures.put("ms_per_step_mean", mean);
    figures.put("sleeps", sleepHops(recorded));
    long allBytes = bytes.values().stream().mapToLong(Long::longValue).sum();
    System.out.printf(
        "  bytes taken in by the broker: %d in all = %.0f per step; by topic:%n",
        allBytes, allBytes / (double) steps);
    Map<String, Object> byTopic = new LinkedHashMap<>();
    bytes.forEach(
        (topic, n) -> {
          System.out.printf("    %10.1f  %s%n", n / (double) steps, topic);
          byTopic.put(topic, BenchRun.round(n / (double) steps, 1));
        });
    figures.put("bytes_per_step", BenchRun.round(allBytes / (double) steps, 1));
    figures.put("bytes_per_step_by_topic", byTopic);
    return figures;
  }

  /**
   * When each step's body ran (its output), in order, from the gateway's view of the instance once
   * that holds every step.
   */
  private Recorded stepTimes(String id, int steps) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      var instance = dev.ferry.schemas.Json.parse(load.getInstance(BenchStepsWorkflow.NAME, id));
      List<Long> ran = new ArrayList<>();
      List<long[]> sleeps = new ArrayList<>();
      for (var step : instance.path("result").path("steps")) {
        if ("step".equals(step.path("type").asText())) {
          ran.add(step.path("output").asLong());
        } else if ("sleep".equals(step.path("type").asText())) {
          sleeps.add(
              new long[] {
                ran.size(), java.time.Instant.parse(step.path("end").asText()).toEpochMilli()
              });
        }
      }
      if (ran.size() == steps) {
        return new Recorded(ran, sleeps);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the gateway shows " + ran.size() + " of " + steps + " steps after 60 s");
      }
      Thread.sleep(200); // the read model catches up with the history topic on its own
    }
  }

  /**
   * When each step's body ran (nanoTime), and for each sleep the steps before it and when it ended
   * (epoch ms, the orchestrator's clock).
   */
  private record Recorded(List<Long> ran, List<long[]> sleeps) {}

  /** The median time from a sleep's last step to the sleep's end, and from there to the next. */
  private static Map<String, Object> sleepHops(Recorded recorded) {
    // The same JVM's clocks: nanoTime to epoch ms by one offset (within a millisecond).
    double offsetMs = System.currentTimeMillis() - System.nanoTime() / 1e6;
    List<Double> toEnd = new ArrayList<>();
    List<Double> toNext = new ArrayList<>();
    for (long[] sleep : recorded.sleeps()) {
      int after = (int) sleep[0];
      if (after > 0 && after < recorded.ran().size()) {
        toEnd.add(sleep[1] - (recorded.ran().get(after - 1) / 1e6 + offsetMs));
        toNext.add(recorded.ran().get(after) / 1e6 + offsetMs - sleep[1]);
      }
    }
    Map<String, Object> hops = new LinkedHashMap<>();
    if (toEnd.isEmpty()) {
      return hops;
    }
    // The first and the last quarter apart: a replay that grows with the history shows here.
    int quarter = Math.max(1, toNext.size() / 4);
    double firstNext = median(toNext.subList(0, quarter));
    double lastNext = median(toNext.subList(toNext.size() - quarter, toNext.size()));
    double end = median(toEnd);
    hops.put("last_step_to_sleep_end_p50_ms", BenchRun.round(end, 1));
    hops.put("sleep_end_to_next_step_p50_ms_first_quarter", BenchRun.round(firstNext, 1));
    hops.put("sleep_end_to_next_step_p50_ms_last_quarter", BenchRun.round(lastNext, 1));
    System.out.printf(
        "  per sleep of 1 ms (%d): last step -> its end (report, orchestrator, timer) p50 %.1f ms;"
            + " end -> next step (activation, replay) p50 %.1f ms in the first quarter, %.1f ms"
            + " in the last%n",
        toEnd.size(), end, firstNext, lastNext);
    return hops;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
