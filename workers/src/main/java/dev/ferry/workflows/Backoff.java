package dev.ferry.workflows;

/**
 * How the wait before a retry grows. With base delay {@code d} and {@code n} attempts made so far:
 * constant waits {@code d}, linear {@code d*n}, exponential {@code d*2^(n-1)}.
 *
 * <pre>{@code
 * long wait = Backoff.EXPONENTIAL.delayMillis(10_000, 3); // 40 s before the 4th attempt
 * }</pre>
 */
public enum Backoff {
  CONSTANT,
  LINEAR,
  EXPONENTIAL;

  /**
   * The wait before the next attempt; saturates at {@link Long#MAX_VALUE} instead of overflowing.
   * The orchestrator schedules retries of fixed delays by the same formula.
   */
  public long delayMillis(long baseMillis, int attemptsMade) {
    return dev.ferry.schemas.WakeTimes.retryDelayMillis(
        dev.ferry.schemas.avro.Backoff.valueOf(name()), baseMillis, attemptsMade);
  }
}
