package dev.ferry.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.schemas.RecordSizes;
import dev.ferry.schemas.avro.Activation;
import dev.ferry.schemas.avro.StepKind;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.StepStatus;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HistoryViewsTest {
  private static final String KEY = "acct/wf/i1";
  private final HistoryViews views = new HistoryViews(64L * 1024 * 1024);

  @Test
  void shouldLayTheEntriesSentSinceOverTheKeptView() {
    views.keep(KEY, 1, entries(0, 4, StepStatus.SUCCEEDED));
    StepRecord slept = entry(3, StepStatus.SLEPT);

    List<StepRecord> history = views.resolve(KEY, delta(2, 1, 3, 4, List.of(slept))).orElseThrow();

    assertThat(history).extracting(StepRecord::getPosition).containsExactly(0, 1, 2, 3);
    assertThat(history.get(3).getStatus()).isEqualTo(StepStatus.SLEPT);
  }

  @Test
  void shouldAskForEverythingWhenTheKeptViewIsOfAnotherActivation() {
    views.keep(KEY, 1, entries(0, 4, StepStatus.SUCCEEDED));

    assertThat(views.resolve(KEY, delta(3, 2, 3, 4, List.of()))).isEmpty();
  }

  @Test
  void shouldAskForEverythingWhenNothingIsKept() {
    assertThat(views.resolve(KEY, delta(2, 1, 0, 0, List.of()))).isEmpty();
  }

  @Test
  void shouldNotBuildOnAViewThatLacksEntriesTheOrchestratorHas() {
    // The orchestrator's history ends at position 3; the kept view ends at 2.
    views.keep(KEY, 1, entries(0, 3, StepStatus.SUCCEEDED));

    assertThat(views.resolve(KEY, delta(2, 1, 4, 4, List.of()))).isEmpty();
  }

  @Test
  void shouldDropKeptEntriesTheOrchestratorDoesNotHave() {
    // The report of position 4 was lost on the way: the orchestrator's history ends at 3.
    views.keep(KEY, 1, entries(0, 5, StepStatus.SUCCEEDED));

    assertThat(views.resolve(KEY, delta(2, 1, 4, 4, List.of())).orElseThrow())
        .extracting(StepRecord::getPosition)
        .containsExactly(0, 1, 2, 3);
  }

  @Test
  void shouldAskForEverythingAfterForgettingAView() {
    views.keep(KEY, 1, entries(0, 2, StepStatus.SUCCEEDED));
    views.forget(KEY);

    assertThat(views.resolve(KEY, delta(2, 1, 2, 2, List.of()))).isEmpty();
  }

  @Test
  void shouldHandAKeptViewOverOnlyOnce() {
    views.keep(KEY, 1, entries(0, 2, StepStatus.SUCCEEDED));
    assertThat(views.resolve(KEY, delta(2, 1, 2, 2, List.of()))).isPresent();

    assertThat(views.resolve(KEY, delta(2, 1, 2, 2, List.of()))).isEmpty();
  }

  @Test
  void shouldKeepTheNewestViewWhenAnOlderRunEndsLater() {
    views.keep(KEY, 3, entries(0, 3, StepStatus.SUCCEEDED));
    views.keep(KEY, 2, entries(0, 2, StepStatus.SUCCEEDED));

    assertThat(views.resolve(KEY, delta(4, 3, 3, 3, List.of()))).isPresent();
  }

  @Test
  void shouldDropTheLeastRecentlyUsedViewsBeyondItsBudget() {
    StepRecord large =
        StepRecord.newBuilder(entry(0, StepStatus.SUCCEEDED)).setOutput("x".repeat(600)).build();
    long size = RecordSizes.estimate(large);
    HistoryViews small = new HistoryViews(size * 2);
    small.keep("a", 1, List.of(large));
    small.keep("b", 1, List.of(large));
    small.keep("c", 1, List.of(large));

    assertThat(small.size()).isEqualTo(2);
    assertThat(small.resolve("a", delta(2, 1, 1, 1, List.of()))).isEmpty();
    assertThat(small.resolve("c", delta(2, 1, 1, 1, List.of()))).isPresent();
  }

  @Test
  void shouldTakeAWholeHistoryAsItIs() {
    List<StepRecord> all = entries(0, 3, StepStatus.SUCCEEDED);

    assertThat(views.resolve(KEY, delta(1, 0, 0, 3, all))).contains(all);
  }

  private static Activation delta(
      long token, long baseToken, int from, int size, List<StepRecord> history) {
    return Activation.newBuilder()
        .setAccount("acct")
        .setWorkflow("wf")
        .setInstanceId("i1")
        .setToken(token)
        .setParams("{}")
        .setCreatedAt(0)
        .setBaseToken(baseToken)
        .setHistoryFrom(from)
        .setHistorySize(size)
        .setHistory(history)
        .build();
  }

  private static List<StepRecord> entries(int from, int to, StepStatus status) {
    return IntStream.range(from, to).mapToObj(p -> entry(p, status)).toList();
  }

  private static StepRecord entry(int position, StepStatus status) {
    return StepRecord.newBuilder()
        .setPosition(position)
        .setKind(StepKind.DO)
        .setName("s" + position)
        .setCount(1)
        .setStatus(status)
        .setStartedAt(0)
        .build();
  }
}
