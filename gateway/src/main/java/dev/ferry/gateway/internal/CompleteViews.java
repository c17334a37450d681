package dev.ferry.gateway.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Waits for an instance view the read model knows to be incomplete: its snapshot counts more
 * history events than were read. Being caught up with the topics' ends is not enough for that. A
 * transaction's commit markers reach its partitions one by one, so a reader can see the status
 * record of a transaction while the history records of the same transaction are not readable yet,
 * and the history partition's end then still lies before them.
 */
final class CompleteViews {
  /** The reader's poll rounds: how many finished, and a wait for the next. */
  interface Rounds {
    long finished();

    void awaitAfter(long round, Duration timeout);
  }

  private CompleteViews() {}

  /**
   * The view once it is complete, or as it is when {@code timeout} passes; empty stays empty (an
   * instance that is not known has no count to wait for).
   */
  static Optional<InstanceView> await(
      Supplier<Optional<InstanceView>> view, Rounds rounds, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long round = rounds.finished();
      Optional<InstanceView> now = view.get();
      long left = deadline - System.nanoTime();
      if (now.isEmpty() || now.get().complete() || left <= 0) {
        return now;
      }
      rounds.awaitAfter(round, Duration.ofNanos(left));
    }
  }
}
