package dev.ferry.standalone.chaos;

import dev.ferry.schemas.avro.HistoryEventType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The checks of a chaos run, as a pure function of what the driver saw: the creates the gateways
 * acknowledged, the events they acknowledged, the committed history and the executions log.
 */
final class ChaosInvariants {
  static final String TERMINAL = "every acknowledged create reached a terminal state";
  static final String ONCE = "no instance completed twice";
  static final String STEPS = "every step result recorded once";
  static final String RAN = "every recorded result had its callback run";
  static final String EVENTS = "no event lost or delivered twice";
  static final String TIMERS = "every timer fired at or after its due time";

  static final String ACKNOWLEDGED = "instances acknowledged";
  static final String COMPLETED = "instances completed";

  /** The figure of each kill starts so, and names the part killed. */
  static final String RECOVERY = "progress on every partition after killing ";

  /**
   * @param acknowledged instance id → its kind, for every create a gateway acknowledged
   * @param eventsSent instance id → the payloads of the events acknowledged for it
   * @param history every committed history entry of the chaos workflow
   * @param executions "instance\tstep" → how often the callback ran
   * @param kills the kills of the run, in order
   */
  record Facts(
      Map<String, ChaosKind> acknowledged,
      Map<String, List<String>> eventsSent,
      List<HistoryEntry> history,
      Map<String, Integer> executions,
      List<ChaosKill> kills) {}

  private ChaosInvariants() {}

  static ChaosVerdict check(Facts facts) {
    ChaosVerdict verdict = new ChaosVerdict();
    for (String invariant : List.of(TERMINAL, ONCE, STEPS, RAN, EVENTS, TIMERS)) {
      verdict.invariant(invariant);
    }
    Map<String, List<HistoryEntry>> byInstance =
        facts.history().stream().collect(Collectors.groupingBy(HistoryEntry::instanceId));
    List<Long> lateness = new ArrayList<>();
    long planned = 0;
    long executed = 0;
    int completed = 0;
    for (var created : new TreeMap<>(facts.acknowledged()).entrySet()) {
      String id = created.getKey();
      ChaosKind kind = created.getValue();
      List<HistoryEntry> entries = byInstance.getOrDefault(id, List.of());
      long ends = entries.stream().filter(HistoryEntry::terminal).count();
      if (ends == 0) {
        verdict.violation(TERMINAL, id + " (" + kind + ") " + lastSeen(entries));
      } else if (ends > 1) {
        verdict.violation(ONCE, id + " ended " + ends + " times");
      }
      if (entries.stream().anyMatch(e -> e.type() == HistoryEventType.WORKFLOW_SUCCESS)) {
        completed++;
        planned += kind.plannedExecutions();
        executed += executionsOf(id, kind, facts.executions());
      }
      checkSteps(id, kind, entries, facts.executions(), verdict);
      checkEvents(id, entries, facts.eventsSent().getOrDefault(id, List.of()), verdict);
      checkTimers(id, entries, lateness, verdict);
    }
    verdict.figure(ACKNOWLEDGED, facts.acknowledged().size());
    verdict.figure(COMPLETED, completed);
    verdict.figure(
        "instances seen but never acknowledged (a create whose answer was lost)",
        byInstance.keySet().stream().filter(id -> !facts.acknowledged().containsKey(id)).count());
    verdict.figure(
        "step results recorded",
        facts.history().stream().filter(e -> e.type() == HistoryEventType.STEP_SUCCESS).count());
    verdict.figure("callbacks re-executed after a kill", Math.max(0, executed - planned));
    verdict.figure(
        "events delivered", facts.eventsSent().values().stream().mapToInt(List::size).sum());
    Collections.sort(lateness);
    verdict.figure(
        "timer lateness (fired - due)",
        lateness.isEmpty()
            ? "no timers"
            : String.format(
                "p50 %d ms, p99 %d ms, max %d ms (%d sleeps)",
                percentile(lateness, 50),
                percentile(lateness, 99),
                lateness.get(lateness.size() - 1),
                lateness.size()));
    for (ChaosKill kill : facts.kills()) {
      Double seconds = recoverySeconds(facts.history(), kill.at());
      String key =
          RECOVERY
              + kill.part()
              + (kill.target() == ChaosTarget.ORCHESTRATOR
                  ? " (" + kill.standbys() + " standby)"
                  : "");
      verdict.figure(key, seconds == null ? "never" : String.format("%.1f s", seconds));
    }
    return verdict;
  }

  private static void checkSteps(
      String id,
      ChaosKind kind,
      List<HistoryEntry> entries,
      Map<String, Integer> executions,
      ChaosVerdict verdict) {
    Map<String, Integer> recorded = new HashMap<>();
    entries.stream()
        .filter(e -> e.type() == HistoryEventType.STEP_SUCCESS)
        .forEach(e -> recorded.merge(e.step(), 1, Integer::sum));
    recorded.forEach(
        (step, times) -> {
          if (times > 1 || !kind.steps().contains(step)) {
            verdict.violation(
                STEPS, id + " recorded the result of '" + step + "' " + times + " time(s)");
          }
          if (executions.getOrDefault(id + "\t" + step, 0) == 0) {
            verdict.violation(RAN, id + " has a result for '" + step + "' that no callback made");
          }
        });
    boolean ended = entries.stream().anyMatch(e -> e.type() == HistoryEventType.WORKFLOW_SUCCESS);
    if (ended) {
      for (String step : kind.steps()) {
        if (!recorded.containsKey(step)) {
          verdict.violation(STEPS, id + " completed without a result for '" + step + "'");
        }
      }
    }
  }

  private static void checkEvents(
      String id, List<HistoryEntry> entries, List<String> sent, ChaosVerdict verdict) {
    List<String> received =
        entries.stream()
            .filter(e -> e.type() == HistoryEventType.WAIT_COMPLETE)
            .map(e -> e.output() == null ? "" : e.output())
            .toList();
    for (String payload : sent) {
      long times = received.stream().filter(output -> output.contains(payload)).count();
      if (times != 1) {
        verdict.violation(EVENTS, id + " received event " + payload + " " + times + " time(s)");
      }
    }
    long timedOut =
        entries.stream().filter(e -> e.type() == HistoryEventType.WAIT_TIMED_OUT).count();
    if (timedOut > 0) {
      verdict.violation(EVENTS, id + " timed out waiting " + timedOut + " time(s)");
    }
  }

  private static void checkTimers(
      String id, List<HistoryEntry> entries, List<Long> lateness, ChaosVerdict verdict) {
    for (HistoryEntry entry : entries) {
      if (entry.type() != HistoryEventType.SLEEP_COMPLETE || entry.wakeAt() == null) {
        continue;
      }
      long late = entry.at() - entry.wakeAt();
      lateness.add(late);
      if (late < 0) {
        verdict.violation(
            TIMERS, id + " woke from '" + entry.step() + "' " + (-late) + " ms before its time");
      }
    }
  }

  /**
   * Seconds from {@code killedAt} until every partition seen in the history had recorded something
   * newer; null if one never did.
   */
  static Double recoverySeconds(List<HistoryEntry> history, long killedAt) {
    Map<Integer, Long> firstAfter = new HashMap<>();
    Set<Integer> partitions = new TreeSet<>();
    for (HistoryEntry entry : history) {
      partitions.add(entry.partition());
      if (entry.at() > killedAt) {
        firstAfter.merge(entry.partition(), entry.at(), Math::min);
      }
    }
    if (partitions.isEmpty() || !firstAfter.keySet().containsAll(partitions)) {
      return null;
    }
    long slowest = Collections.max(firstAfter.values());
    return (slowest - killedAt) / 1000.0;
  }

  private static long executionsOf(String id, ChaosKind kind, Map<String, Integer> executions) {
    return kind.steps().stream()
        .mapToLong(step -> executions.getOrDefault(id + "\t" + step, 0))
        .sum();
  }

  private static String lastSeen(List<HistoryEntry> entries) {
    if (entries.isEmpty()) {
      return "has no history at all";
    }
    HistoryEntry last = entries.get(entries.size() - 1);
    return "last recorded "
        + last.type()
        + (last.step() == null ? "" : " of '" + last.step() + "'");
  }

  private static long percentile(List<Long> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
