package dev.ferry.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.schemas.avro.Activation;
import dev.ferry.schemas.avro.StepKind;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.StepStatus;
import org.junit.jupiter.api.Test;

class PageJoinerTest {
  private final PageJoiner joiner = new PageJoiner();

  @Test
  void shouldJoinThePagesOfAnActivationInOrderAtItsLastPage() {
    assertThat(joiner.add("k", page(5, 0, false, 0, 1)))
        .isInstanceOf(PageJoiner.Outcome.Incomplete.class);
    assertThat(joiner.add("other", page(2, 0, true)))
        .isInstanceOf(PageJoiner.Outcome.Complete.class);
    assertThat(joiner.add("k", page(5, 1, false, 2)))
        .isInstanceOf(PageJoiner.Outcome.Incomplete.class);

    PageJoiner.Outcome last = joiner.add("k", page(5, 2, true, 3, 4));

    assertThat(last).isInstanceOf(PageJoiner.Outcome.Complete.class);
    Activation joined = ((PageJoiner.Outcome.Complete) last).activation();
    assertThat(joined.getParams()).isEqualTo("{\"first\":true}");
    assertThat(joined.getHistory())
        .extracting(StepRecord::getPosition)
        .containsExactly(0, 1, 2, 3, 4);
  }

  @Test
  void shouldCallAPageWithoutItsPredecessorsAnOrphan() {
    assertThat(joiner.add("k", page(5, 1, true, 2))).isInstanceOf(PageJoiner.Outcome.Orphan.class);
  }

  @Test
  void shouldCallAPageOfAnotherTokenAnOrphan() {
    joiner.add("k", page(5, 0, false, 0));

    assertThat(joiner.add("k", page(6, 1, true, 1))).isInstanceOf(PageJoiner.Outcome.Orphan.class);
  }

  @Test
  void shouldForgetUnfinishedActivationsWhenCleared() {
    joiner.add("k", page(5, 0, false, 0));
    joiner.clear();

    assertThat(joiner.add("k", page(5, 1, true, 1))).isInstanceOf(PageJoiner.Outcome.Orphan.class);
  }

  private static Activation page(long token, int page, boolean last, int... positions) {
    return Activation.newBuilder()
        .setAccount("acct")
        .setWorkflow("wf")
        .setInstanceId("i1")
        .setToken(token)
        .setParams(page == 0 ? "{\"first\":true}" : "")
        .setCreatedAt(0)
        .setPage(page)
        .setLastPage(last)
        .setHistory(
            java.util.Arrays.stream(positions)
                .mapToObj(
                    p ->
                        StepRecord.newBuilder()
                            .setPosition(p)
                            .setKind(StepKind.DO)
                            .setName("s" + p)
                            .setCount(1)
                            .setStatus(StepStatus.SUCCEEDED)
                            .setStartedAt(0)
                            .build())
                .toList())
        .build();
  }
}
