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
   */
  public long delayMillis(long baseMillis, int attemptsMade) {
    int n = Math.max(1, attemptsMade);
    return switch (this) {
      case CONSTANT -> baseMillis;
      case LINEAR -> saturatedMultiply(baseMillis, n);
      case EXPONENTIAL ->
          n - 1 >= 62
              ? (baseMillis == 0 ? 0 : Long.MAX_VALUE)
              : saturatedMultiply(baseMillis, 1L << (n - 1));
    };
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
