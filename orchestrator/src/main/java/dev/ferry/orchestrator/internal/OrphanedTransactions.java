package dev.ferry.orchestrator.internal;

import java.util.Collection;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which open transactions a dead orchestrator left behind. Kafka Streams (exactly-once v2) names a
 * stream thread's transactional id {@code <application.id>-<process id>-<thread index>} and its
 * consumer's client id {@code <application.id>-<process id>-StreamThread-<n>-consumer}. A
 * transaction whose process has no member in the group belongs to a process that is gone (or that
 * the group has already expelled): it can never commit, and until it is aborted every committed
 * reader of the partitions it wrote, the successor's restore among them, waits for the broker to
 * time it out (the producer's {@code transaction.timeout.ms} plus up to the broker's {@code
 * transaction.abort.timed.out.transaction.cleanup.interval.ms}: 10 + 10 s by default).
 */
public final class OrphanedTransactions {
  private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  private OrphanedTransactions() {}

  /**
   * The transactional ids among {@code open} to fence: those of {@code applicationId}'s stream
   * threads whose process has no member among {@code memberClientIds}. Nothing when a member's
   * client id does not name its process (a {@code client.id} was configured): then which processes
   * live cannot be told, and fencing a live one would cost it a rebalance.
   */
  public static Set<String> toFence(
      String applicationId, Collection<String> memberClientIds, Collection<String> open) {
    Pattern member =
        Pattern.compile(Pattern.quote(applicationId) + "-(" + UUID + ")-StreamThread-");
    Set<String> live = new HashSet<>();
    for (String clientId : memberClientIds) {
      Matcher matcher = member.matcher(clientId);
      if (!matcher.lookingAt()) {
        return Set.of();
      }
      live.add(matcher.group(1));
    }
    Pattern thread = threadPattern(applicationId);
    Set<String> orphans = new TreeSet<>();
    for (String transactionalId : open) {
      processOf(thread, transactionalId)
          .filter(process -> !live.contains(process))
          .ifPresent(process -> orphans.add(transactionalId));
    }
    return orphans;
  }

  /**
   * The process id in a stream thread's transactional id of {@code applicationId}, if it is one.
   */
  static Optional<String> processOf(String applicationId, String transactionalId) {
    return processOf(threadPattern(applicationId), transactionalId);
  }

  private static Optional<String> processOf(Pattern thread, String transactionalId) {
    Matcher matcher = thread.matcher(transactionalId);
    return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
  }

  /** A stream thread's transactional id of {@code applicationId}; group 1 is the process id. */
  private static Pattern threadPattern(String applicationId) {
    return Pattern.compile(Pattern.quote(applicationId) + "-(" + UUID + ")-\\d+");
  }
}
