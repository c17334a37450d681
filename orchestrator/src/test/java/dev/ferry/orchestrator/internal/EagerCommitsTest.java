package dev.ferry.orchestrator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EagerCommitsTest {
  @Test
  void offAsksForNoCommit() {
    EagerCommits off = new EagerCommits(0);

    assertThat(off.afterTransition(1_000, 1)).isFalse();
    assertThat(off.afterTransition(5_000, 1)).isFalse();
  }

  @Test
  void aQuietThreadAsksAfterEveryTransitionSpacedApart() {
    EagerCommits eager = new EagerCommits(400);

    // One instance at a time: a transition every 8 ms, about 125 a second.
    for (long now = 1_000; now < 2_000; now += 8) {
      assertThat(eager.afterTransition(now, 1)).as("transition at %d ms", now).isTrue();
    }
  }

  @Test
  void twoTransitionsCloserThanTheSpacingAskOnce() {
    EagerCommits eager = new EagerCommits(400);

    assertThat(eager.afterTransition(1_000, 1)).isTrue();
    assertThat(eager.afterTransition(1_000 + EagerCommits.SPACING_MS - 1, 1)).isFalse();
    assertThat(eager.afterTransition(1_000 + EagerCommits.SPACING_MS, 1)).isTrue();
  }

  @Test
  void aBusyThreadLeavesCommitsToTheIntervalUntilItQuietensAgain() {
    EagerCommits eager = new EagerCommits(400);
    long now = 1_000;
    boolean askedWhileBusy = false;
    // 2,000 transitions a second for a second: five times the rate.
    for (int i = 0; i < 2_000; i++) {
      now += i % 4 == 0 ? 2 : 0;
      boolean asked = eager.afterTransition(now, 1);
      if (i > 200) {
        askedWhileBusy |= asked;
      }
    }
    assertThat(askedWhileBusy).isFalse();

    // Half a second without a transition: the rate has decayed, commits are eager again.
    assertThat(eager.afterTransition(now + 500, 1)).isTrue();
  }

  @Test
  void anInputThatWaitedInABacklogAsksForNoCommit() {
    EagerCommits eager = new EagerCommits(400);

    assertThat(eager.afterTransition(1_000, EagerCommits.BACKLOG_MS + 1)).isFalse();
    assertThat(eager.afterTransition(1_010, EagerCommits.BACKLOG_MS)).isTrue();
  }

  @Test
  void aTickThatFiredManyTimersCountsThemAll() {
    EagerCommits eager = new EagerCommits(400);

    assertThat(eager.afterTransitions(1_000, 3, 1)).isTrue();
    // 400/s over the horizon is 40 transitions: a tick firing 100 is a busy thread.
    assertThat(eager.afterTransitions(1_010, 100, 1)).isFalse();
    assertThat(eager.afterTransition(1_020, 1)).isFalse();
  }
}
