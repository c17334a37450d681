package dev.ferry.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CompleteViewsTest {
  private static final InstanceView INCOMPLETE = new InstanceView(null, List.of(), false);
  private static final InstanceView COMPLETE = new InstanceView(null, List.of(), true);

  /** Rounds that finish one per wait. */
  private static final class CountedRounds implements CompleteViews.Rounds {
    final AtomicInteger finished = new AtomicInteger();
    final AtomicInteger waits = new AtomicInteger();

    @Override
    public long finished() {
      return finished.get();
    }

    @Override
    public void awaitAfter(long round, Duration timeout) {
      waits.incrementAndGet();
      if (finished.get() <= round) {
        finished.incrementAndGet();
      }
    }
  }

  @Test
  void shouldWaitForMoreRoundsWhileTheViewLacksEventsItsSnapshotCounts() {
    CountedRounds rounds = new CountedRounds();

    Optional<InstanceView> view =
        CompleteViews.await(
            () -> Optional.of(rounds.finished() >= 3 ? COMPLETE : INCOMPLETE),
            rounds,
            Duration.ofSeconds(10));

    assertThat(view).contains(COMPLETE);
    assertThat(rounds.waits.get()).isEqualTo(3);
  }

  @Test
  void shouldAnswerTheIncompleteViewWhenTheTimeIsUp() {
    CountedRounds rounds = new CountedRounds();

    Optional<InstanceView> view =
        CompleteViews.await(() -> Optional.of(INCOMPLETE), rounds, Duration.ofMillis(50));

    assertThat(view).contains(INCOMPLETE);
    assertThat(rounds.waits.get()).isPositive();
  }

  @Test
  void shouldNotWaitForAnInstanceItDoesNotKnowOrOneThatIsComplete() {
    CountedRounds rounds = new CountedRounds();

    assertThat(CompleteViews.await(Optional::empty, rounds, Duration.ofSeconds(10))).isEmpty();
    assertThat(CompleteViews.await(() -> Optional.of(COMPLETE), rounds, Duration.ofSeconds(10)))
        .contains(COMPLETE);
    assertThat(rounds.waits.get()).isZero();
  }
}
