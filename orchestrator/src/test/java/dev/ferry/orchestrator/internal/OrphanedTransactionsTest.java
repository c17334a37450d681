package dev.ferry.orchestrator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OrphanedTransactionsTest {
  private static final String APP = "ferry-orchestrator";
  private static final String LIVE = "94ed82a3-20e2-416f-bd44-b5e08bab8b59";
  private static final String DEAD = "a466dfc4-2871-4ad5-ba82-7bf5d208beff";

  private static String consumer(String process, int thread) {
    return APP + "-" + process + "-StreamThread-" + thread + "-consumer";
  }

  @Test
  void shouldFenceTheThreadsOfAProcessWithNoMemberInTheGroup() {
    assertThat(
            OrphanedTransactions.toFence(
                APP,
                List.of(consumer(LIVE, 1), consumer(LIVE, 2)),
                List.of(APP + "-" + LIVE + "-1", APP + "-" + DEAD + "-1", APP + "-" + DEAD + "-2")))
        .containsExactly(APP + "-" + DEAD + "-1", APP + "-" + DEAD + "-2");
  }

  @Test
  void shouldLeaveTheTransactionsOfLiveProcessesAndOfOtherProducersAlone() {
    assertThat(
            OrphanedTransactions.toFence(
                APP,
                List.of(consumer(LIVE, 1)),
                List.of(
                    APP + "-" + LIVE + "-1",
                    "ferry-orchestrator-scheduler",
                    "ferry-triggers",
                    "other-app-" + DEAD + "-1",
                    APP + "-x-" + DEAD + "-1")))
        .isEmpty();
  }

  @Test
  void shouldFenceNothingWhenAMemberDoesNotNameItsProcess() {
    // A configured client.id hides which processes live; guessing could fence a live one.
    assertThat(
            OrphanedTransactions.toFence(
                APP,
                List.of(consumer(LIVE, 1), "orders-orchestrator-StreamThread-1-consumer"),
                List.of(APP + "-" + DEAD + "-1")))
        .isEmpty();
  }

  @Test
  void shouldFenceEveryStreamThreadTransactionWhenTheGroupIsEmpty() {
    assertThat(OrphanedTransactions.toFence(APP, List.of(), List.of(APP + "-" + DEAD + "-3")))
        .containsExactly(APP + "-" + DEAD + "-3");
  }

  @Test
  void shouldReadTheProcessOnlyFromAStreamThreadTransactionalId() {
    assertThat(OrphanedTransactions.processOf(APP, APP + "-" + DEAD + "-12")).contains(DEAD);
    assertThat(OrphanedTransactions.processOf(APP, APP + "-" + DEAD)).isEmpty();
    assertThat(OrphanedTransactions.processOf(APP, APP + "-" + DEAD + "-1-x")).isEmpty();
  }
}
