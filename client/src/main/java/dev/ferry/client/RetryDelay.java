package dev.ferry.client;

import java.time.Duration;
import java.util.Locale;

/**
 * The wait before the next attempt, as the engine computes it (the table in {@code
 * contract/retry-delays.json}): constant {@code d}, linear {@code d*n}, exponential {@code
 * d*2^(n-1)} after {@code n} attempts, saturating instead of overflowing.
 */
final class RetryDelay {
  private RetryDelay() {}

  static Duration after(int attemptsMade, Duration delay, String backoff) {
    long base = delay.toMillis();
    long factor =
        switch (backoff == null ? "constant" : backoff.toLowerCase(Locale.ROOT)) {
          case "linear" -> attemptsMade;
          case "exponential" -> attemptsMade - 1 >= 62 ? Long.MAX_VALUE : 1L << (attemptsMade - 1);
          default -> 1;
        };
    long millis;
    try {
      millis = Math.multiplyExact(base, factor);
    } catch (ArithmeticException e) {
      millis = Long.MAX_VALUE;
    }
    return Duration.ofMillis(millis);
  }
}
