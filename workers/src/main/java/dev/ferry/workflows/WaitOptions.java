package dev.ferry.workflows;

import dev.ferry.schemas.Names;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@link WorkflowStep#waitForEvent} waits for: an event type and how long to wait (default 24
 * hours, allowed 1 second to 365 days). Immutable.
 *
 * <pre>{@code
 * WaitOptions.type("approved").timeout("1 hour")
 * }</pre>
 */
public final class WaitOptions {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(24);
  public static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);
  public static final Duration MAX_TIMEOUT = Duration.ofDays(365);

  private final String type;
  private final Duration timeout;

  private WaitOptions(String type, Duration timeout) {
    Names.checkEventType(type)
        .ifPresent(
            problem -> {
              throw new IllegalArgumentException(problem);
            });
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.compareTo(MIN_TIMEOUT) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
      throw new IllegalArgumentException(
          "waitForEvent timeout must be 1 second..365 days, got " + timeout);
    }
    this.type = type;
    this.timeout = timeout;
  }

  /** Waits for events of this type (pattern {@code ^[a-zA-Z0-9_][a-zA-Z0-9-_]*$}, 1..100 chars). */
  public static WaitOptions type(String type) {
    return new WaitOptions(type, DEFAULT_TIMEOUT);
  }

  public WaitOptions timeout(String timeout) {
    return timeout(Durations.parse(timeout));
  }

  public WaitOptions timeout(Duration timeout) {
    return new WaitOptions(type, timeout);
  }

  public String type() {
    return type;
  }

  public Duration timeout() {
    return timeout;
  }
}
