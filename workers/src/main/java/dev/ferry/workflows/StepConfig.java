package dev.ferry.workflows;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Retry and timeout settings of a step. Every setting left out keeps its default: 5 retries after
 * the first attempt, 10 seconds base delay, exponential backoff, 10 minutes per attempt. Instances
 * are immutable; each method returns a changed copy.
 *
 * <pre>{@code
 * StepConfig.retries(3, "10 seconds", Backoff.EXPONENTIAL).timeout("2 minutes")
 * }</pre>
 */
public final class StepConfig {
  public static final int DEFAULT_RETRY_LIMIT = 5;
  public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(10);
  public static final Backoff DEFAULT_BACKOFF = Backoff.EXPONENTIAL;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
  public static final int MAX_RETRY_LIMIT = dev.ferry.schemas.Limits.MAX_RETRY_LIMIT;

  private static final StepConfig DEFAULTS = new StepConfig(null, null, null, null, null, false);

  private final Integer retryLimit;
  private final Duration retryDelay;
  private final RetryDelay retryDelayFunction;
  private final Backoff backoff;
  private final Duration timeout;
  private final boolean sensitive;

  private StepConfig(
      Integer retryLimit,
      Duration retryDelay,
      RetryDelay retryDelayFunction,
      Backoff backoff,
      Duration timeout,
      boolean sensitive) {
    if (retryLimit != null && (retryLimit < 0 || retryLimit > MAX_RETRY_LIMIT)) {
      throw new IllegalArgumentException(
          "retries.limit must be 0.." + MAX_RETRY_LIMIT + ", got " + retryLimit);
    }
    if (retryDelay != null && retryDelay.isNegative()) {
      throw new IllegalArgumentException("retries.delay must not be negative, got " + retryDelay);
    }
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    this.retryLimit = retryLimit;
    this.retryDelay = retryDelay;
    this.retryDelayFunction = retryDelayFunction;
    this.backoff = backoff;
    this.timeout = timeout;
    this.sensitive = sensitive;
  }

  /** All defaults. */
  public static StepConfig defaults() {
    return DEFAULTS;
  }

  public static StepConfig retries(int limit) {
    return DEFAULTS.withRetries(limit);
  }

  public static StepConfig retries(int limit, String delay, Backoff backoff) {
    return retries(limit, Durations.parse(delay), backoff);
  }

  public static StepConfig retries(int limit, Duration delay, Backoff backoff) {
    return new StepConfig(
        limit, Objects.requireNonNull(delay, "retries.delay"), null, backoff, null, false);
  }

  public static StepConfig retries(int limit, RetryDelay delay, Backoff backoff) {
    return new StepConfig(
        limit, null, Objects.requireNonNull(delay, "retries.delay"), backoff, null, false);
  }

  public StepConfig withRetries(int limit) {
    return new StepConfig(limit, retryDelay, retryDelayFunction, backoff, timeout, sensitive);
  }

  public StepConfig timeout(String timeout) {
    return timeout(Durations.parse(timeout));
  }

  public StepConfig timeout(Duration timeout) {
    return new StepConfig(
        retryLimit,
        retryDelay,
        retryDelayFunction,
        backoff,
        Objects.requireNonNull(timeout, "timeout"),
        sensitive);
  }

  /** Shows the step's output as {@code [REDACTED]} in the management API. */
  public StepConfig sensitiveOutput() {
    return new StepConfig(retryLimit, retryDelay, retryDelayFunction, backoff, timeout, true);
  }

  public int retryLimit() {
    return retryLimit == null ? DEFAULT_RETRY_LIMIT : retryLimit;
  }

  /** The fixed base delay; empty when the delay is a function. */
  public Optional<Duration> retryDelay() {
    if (retryDelayFunction != null) {
      return Optional.empty();
    }
    return Optional.of(retryDelay == null ? DEFAULT_RETRY_DELAY : retryDelay);
  }

  public Optional<RetryDelay> retryDelayFunction() {
    return Optional.ofNullable(retryDelayFunction);
  }

  public Backoff backoff() {
    return backoff == null ? DEFAULT_BACKOFF : backoff;
  }

  public Duration timeout() {
    return timeout == null ? DEFAULT_TIMEOUT : timeout;
  }

  public boolean sensitive() {
    return sensitive;
  }

  /** A config whose values are all set (used when a recorded config is replayed). */
  public static StepConfig resolved(
      int retryLimit, Duration retryDelay, Backoff backoff, Duration timeout, boolean sensitive) {
    return new StepConfig(retryLimit, retryDelay, null, backoff, timeout, sensitive);
  }

  @Override
  public String toString() {
    return "StepConfig{retries.limit="
        + retryLimit()
        + ", retries.delay="
        + retryDelay().map(Duration::toString).orElse("[dynamic]")
        + ", retries.backoff="
        + backoff()
        + ", timeout="
        + timeout()
        + (sensitive ? ", sensitive=output" : "")
        + "}";
  }
}
