package dev.ferry.schemas;

import dev.ferry.schemas.avro.Backoff;
import dev.ferry.schemas.avro.ResolvedStepConfig;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.StepStatus;

/**
 * When timed steps wake, decided from recorded facts so a worker need not: a sleep of a fixed
 * length and a wait's timeout from their {@code durationMs}, a retry from the step's pinned config
 * (base delay and backoff, the formula defined here once). Only the orchestrator (and the test kit
 * standing in for it) applies this, by its own clock, when it records the entry.
 */
public final class WakeTimes {
  /** {@code retryDelayMs} of a config whose delay is a function: the worker sets the wake time. */
  public static final long DYNAMIC_DELAY = -1;

  private WakeTimes() {}

  /**
   * The entry with its wake time set when the worker left it to the orchestrator; otherwise the
   * entry itself (the same instance, so callers can tell whether it changed).
   */
  public static StepRecord complete(StepRecord step, long now) {
    if (step.getWakeAt() != null) {
      return step;
    }
    StepStatus status = step.getStatus();
    if ((status == StepStatus.SLEEPING || status == StepStatus.WAITING)
        && step.getDurationMs() != null) {
      return StepRecord.newBuilder(step).setWakeAt(plus(now, step.getDurationMs())).build();
    }
    ResolvedStepConfig config = step.getConfig();
    if (status == StepStatus.RETRY_WAIT
        && config != null
        && config.getRetryDelayMs() != DYNAMIC_DELAY) {
      long delay =
          retryDelayMillis(
              config.getBackoff(), config.getRetryDelayMs(), step.getAttempts().size());
      return StepRecord.newBuilder(step).setWakeAt(plus(now, delay)).build();
    }
    return step;
  }

  /**
   * The wait before the next attempt after {@code attemptsMade} attempts, from base delay {@code
   * d}: constant {@code d}, linear {@code d*n}, exponential {@code d*2^(n-1)}; saturates at {@link
   * Long#MAX_VALUE} instead of overflowing.
   */
  public static long retryDelayMillis(Backoff backoff, long baseMillis, int attemptsMade) {
    int n = Math.max(1, attemptsMade);
    return switch (backoff) {
      case CONSTANT -> baseMillis;
      case LINEAR -> saturatedMultiply(baseMillis, n);
      case EXPONENTIAL ->
          n - 1 >= 62
              ? (baseMillis == 0 ? 0 : Long.MAX_VALUE)
              : saturatedMultiply(baseMillis, 1L << (n - 1));
    };
  }

  /** The message of a wait that timed out: "Execution timed out after <n>ms". */
  public static String timeoutMessage(StepRecord wait) {
    long lasted =
        wait.getDurationMs() != null
            ? wait.getDurationMs()
            : wait.getWakeAt() - wait.getStartedAt();
    return "Execution timed out after " + lasted + "ms";
  }

  private static long plus(long now, long millis) {
    return millis > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + millis;
  }

  private static long saturatedMultiply(long a, long b) {
    long high = Math.multiplyHigh(a, b);
    long low = a * b;
    if ((high == 0 && low >= 0) || (high == -1 && low < 0)) {
      return low;
    }
    return Long.MAX_VALUE;
  }
}
