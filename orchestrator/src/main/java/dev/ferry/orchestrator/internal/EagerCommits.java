package dev.ferry.orchestrator.internal;

/**
 * When to ask Kafka Streams to commit at once rather than at the next {@code commit.interval.ms}.
 * Under exactly-once nothing the orchestrator writes is seen before its transaction commits, so a
 * worker waiting for an activation and a client waiting for an answer each wait for a commit. A
 * fixed interval makes each such hop cost half the interval and more on average; asking for the
 * commit right after a transition makes it cost the commit alone.
 *
 * <p>Under load, eager commits cost more than they save. A commit blocks the stream thread until
 * every record sent is acknowledged and the coordinator has answered twice, and writes a marker to
 * every partition the transaction touched; Kafka Streams also halves its batch after each one.
 * Asked after every record, the thread does little but commit (measured: 100 instances a second
 * where the interval gives 700, and it stayed there after the load eased). So a thread asks only
 * while it is quiet: at fewer than {@code maxRate} transitions a second (counted over about the
 * last {@link #HORIZON_MS}), when the input did not wait in a backlog ({@link #BACKLOG_MS}), and at
 * least {@link #SPACING_MS} after its last request. A busy thread commits every interval with
 * everything processed in between.
 */
public final class EagerCommits {
  /** How far back the transition rate looks (the decay time of its count). */
  static final double HORIZON_MS = 100;

  /** The least time between two eager commits. */
  static final long SPACING_MS = 2;

  /**
   * An input that waited longer than this between its producer and this thread means a backlog:
   * then commits are not eager, whatever the rate. A slowed thread sees a low rate too, and eager
   * commits would keep it slow.
   */
  static final long BACKLOG_MS = 20;

  private final double maxRecent;
  private double recent;
  private long lastMs = Long.MIN_VALUE;
  private long lastAskedMs = Long.MIN_VALUE;

  /** {@code maxRate}: transitions a second below which commits are eager; 0 turns them off. */
  public EagerCommits(int maxRate) {
    this.maxRecent = maxRate * HORIZON_MS / 1000;
  }

  /**
   * Counts a transition at {@code nowMs} of an input written {@code waitedMs} before it and says
   * whether to ask for a commit after it.
   */
  public boolean afterTransition(long nowMs, long waitedMs) {
    return afterTransitions(nowMs, 1, waitedMs);
  }

  /**
   * Counts {@code count} transitions at {@code nowMs} (the timers one tick fired), the earliest of
   * them due or written {@code waitedMs} before, and says whether to ask for a commit after them.
   */
  public boolean afterTransitions(long nowMs, int count, long waitedMs) {
    if (lastMs != Long.MIN_VALUE) {
      recent *= Math.exp(-Math.max(0, nowMs - lastMs) / HORIZON_MS);
    }
    lastMs = nowMs;
    recent += count;
    if (recent > maxRecent
        || waitedMs > BACKLOG_MS
        || (lastAskedMs != Long.MIN_VALUE && nowMs - lastAskedMs < SPACING_MS)) {
      return false;
    }
    lastAskedMs = nowMs;
    return true;
  }
}
