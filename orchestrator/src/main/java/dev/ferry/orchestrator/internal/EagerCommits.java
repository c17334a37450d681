package dev.ferry.orchestrator.internal;

/**
 * When to ask Kafka Streams to commit at once rather than at the next {@code commit.interval.ms}.
 * Under exactly-once nothing the orchestrator writes is seen before its transaction commits, so a
 * worker waiting for an activation and a client waiting for an answer each wait for a commit. A
 * fixed interval makes each such hop cost half the interval on average; asking for the commit right
 * after a transition makes it cost the commit alone.
 *
 * <p>Under load, eager commits cost more than they save: each commit writes a marker to every
 * partition the transaction touched and blocks the stream thread for the round trips, and Kafka
 * Streams halves its batch after each one. So commits are eager only while the stream thread is
 * quiet, at fewer than {@code maxRate} transitions a second (counted over about the last {@link
 * #HORIZON_MS}); a busy thread commits every interval with everything processed in between. Two
 * eager commits are at least {@link #SPACING_MS} apart.
 */
public final class EagerCommits {
  /** How far back the transition rate looks (the decay time of its count). */
  static final double HORIZON_MS = 100;

  /** The least time between two eager commits. */
  static final long SPACING_MS = 2;

  static final java.util.concurrent.atomic.AtomicLong ASKS =
      new java.util.concurrent.atomic.AtomicLong();

  static {
    new Thread(
        () -> {
          long last = 0;
          while (true) {
            try {
              Thread.sleep(5000);
            } catch (InterruptedException e) {
              return;
            }
            long n = ASKS.get();
            System.out.println("EAGER asks/s " + (n - last) / 5);
            last = n;
          }
        },
        "eager-debug") {
      {
        setDaemon(true);
      }
    }.start();
  }

  private final double maxRecent;
  private double recent;
  private long lastMs = Long.MIN_VALUE;
  private long lastAskedMs = Long.MIN_VALUE;

  /** {@code maxRate} (transitions per second) 0 turns eager commits off. */
  public EagerCommits(int maxRate) {
    this.maxRecent = maxRate * HORIZON_MS / 1000;
  }

  /** Counts a transition at {@code nowMs} and says whether to ask for a commit after it. */
  boolean afterTransition(long nowMs) {
    if (lastMs != Long.MIN_VALUE) {
      recent *= Math.exp(-Math.max(0, nowMs - lastMs) / HORIZON_MS);
    }
    lastMs = nowMs;
    recent += 1;
    if (recent > maxRecent || (lastAskedMs != Long.MIN_VALUE && nowMs - lastAskedMs < SPACING_MS)) {
      return false;
    }
    lastAskedMs = nowMs;
    return true;
  }
}
