package dev.ferry.standalone.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.schemas.avro.HistoryEventType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChaosInvariantsTest {
  private static HistoryEntry entry(
      String id, HistoryEventType type, long at, String step, Long wakeAt, String output) {
    return new HistoryEntry(0, id, 0, type, at, step, wakeAt, output);
  }

  private static List<HistoryEntry> completedSleep(String id, long wakeAt, long firedAt) {
    return new ArrayList<>(
        List.of(
            entry(id, HistoryEventType.STEP_SUCCESS, 1, "first", null, "\"first;\""),
            entry(id, HistoryEventType.SLEEP_COMPLETE, firedAt, "nap", wakeAt, null),
            entry(id, HistoryEventType.STEP_SUCCESS, firedAt + 5, "after nap", null, null),
            entry(id, HistoryEventType.WORKFLOW_SUCCESS, firedAt + 6, null, null, null)));
  }

  private static final Map<String, Integer> RAN = Map.of("a\tfirst", 1, "a\tafter nap", 1);

  private static ChaosVerdict check(
      List<HistoryEntry> history, Map<String, List<String>> events, ChaosKind kind) {
    return ChaosInvariants.check(
        new ChaosInvariants.Facts(Map.of("a", kind), events, history, RAN, List.of()));
  }

  @Test
  void shouldPassACleanRunAndReportTimerLateness() {
    ChaosVerdict verdict = check(completedSleep("a", 1_000, 1_040), Map.of(), ChaosKind.SLEEP);

    assertThat(verdict.passed()).as(verdict.render()).isTrue();
    assertThat(verdict.figures().get("timer lateness (fired - due)").toString())
        .contains("max 40 ms");
  }

  @Test
  void shouldFailAnAcknowledgedInstanceThatNeverEnded() {
    List<HistoryEntry> history = completedSleep("a", 1_000, 1_040);
    history.remove(3);

    ChaosVerdict verdict = check(history, Map.of(), ChaosKind.SLEEP);

    assertThat(verdict.violations(ChaosInvariants.TERMINAL)).isEqualTo(1);
  }

  @Test
  void shouldFailAnInstanceCompletedTwiceOrAStepRecordedTwice() {
    List<HistoryEntry> history = completedSleep("a", 1_000, 1_040);
    history.add(history.get(2));
    history.add(history.get(3));

    ChaosVerdict verdict = check(history, Map.of(), ChaosKind.SLEEP);

    assertThat(verdict.violations(ChaosInvariants.ONCE)).isEqualTo(1);
    assertThat(verdict.violations(ChaosInvariants.STEPS)).isEqualTo(1);
  }

  @Test
  void shouldFailATimerThatFiredEarlyAndAResultNoCallbackMade() {
    List<HistoryEntry> history = completedSleep("a", 1_000, 990);
    ChaosVerdict verdict =
        ChaosInvariants.check(
            new ChaosInvariants.Facts(
                Map.of("a", ChaosKind.SLEEP), Map.of(), history, Map.of(), List.of()));

    assertThat(verdict.violations(ChaosInvariants.TIMERS)).isEqualTo(1);
    assertThat(verdict.violations(ChaosInvariants.RAN)).isEqualTo(2);
  }

  @Test
  void shouldFailAnEventDeliveredTwiceOrNotAtAll() {
    List<HistoryEntry> history =
        List.of(
            entry("a", HistoryEventType.STEP_SUCCESS, 1, "first", null, null),
            entry("a", HistoryEventType.WAIT_COMPLETE, 2, "first event", null, "\"e-a-1\""),
            entry("a", HistoryEventType.WAIT_COMPLETE, 3, "second event", null, "\"e-a-1\""),
            entry("a", HistoryEventType.WORKFLOW_SUCCESS, 4, null, null, null));

    ChaosVerdict verdict =
        ChaosInvariants.check(
            new ChaosInvariants.Facts(
                Map.of("a", ChaosKind.EVENTS),
                Map.of("a", List.of("e-a-1", "e-a-2")),
                history,
                Map.of("a\tfirst", 1),
                List.of()));

    assertThat(verdict.violations(ChaosInvariants.EVENTS)).isEqualTo(2);
  }

  @Test
  void shouldMeasureRecoveryAsTheSlowestPartitionToProgressAfterAKill() {
    List<HistoryEntry> history =
        List.of(
            new HistoryEntry(0, "a", 0, HistoryEventType.STEP_SUCCESS, 900, "x", null, null),
            new HistoryEntry(1, "b", 0, HistoryEventType.STEP_SUCCESS, 950, "x", null, null),
            new HistoryEntry(0, "a", 0, HistoryEventType.STEP_SUCCESS, 1_100, "x", null, null),
            new HistoryEntry(1, "b", 0, HistoryEventType.STEP_SUCCESS, 4_000, "x", null, null));

    assertThat(ChaosInvariants.recoverySeconds(history, 1_000)).isEqualTo(3.0);
    assertThat(ChaosInvariants.recoverySeconds(history, 5_000)).isNull();
  }

  @Test
  void shouldKillEachKindOnceWhenQuickAndTheOrchestratorAgainWithAStandby() {
    List<ChaosPlan.Round> quick =
        ChaosPlan.rounds(true, java.util.EnumSet.allOf(ChaosTarget.class));

    assertThat(quick)
        .extracting(ChaosPlan.Round::target)
        .containsExactly(
            ChaosTarget.WORKER,
            ChaosTarget.ORCHESTRATOR,
            ChaosTarget.GATEWAY,
            ChaosTarget.BROKER,
            ChaosTarget.ORCHESTRATOR);
    assertThat(quick.get(4).standbys()).isEqualTo(1);
    assertThat(ChaosPlan.rounds(false, java.util.EnumSet.allOf(ChaosTarget.class))).hasSize(10);
  }
}
