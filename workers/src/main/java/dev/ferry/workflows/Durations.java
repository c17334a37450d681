package dev.ferry.workflows;

import dev.ferry.schemas.DurationGrammar;
import java.time.Duration;

/**
 * The duration grammar of sleeps, retry delays, timeouts and retention: {@code "<number> <unit>"}
 * with unit second, minute, hour, day, week, month (30 days) or year (365 days), singular or
 * plural, one space; the number may have a fraction ({@code "1.5 days"}). A plain number is
 * milliseconds.
 *
 * <pre>{@code
 * Duration d = Durations.parse("26 hours");
 * }</pre>
 */
public final class Durations {
  private Durations() {}

  /** Parses a duration string; the message of the exception quotes the bad input. */
  public static Duration parse(String text) {
    return DurationGrammar.parse(text);
  }

  /** A number of milliseconds as a duration; negative values are rejected. */
  public static Duration ofMillis(long millis) {
    return DurationGrammar.ofMillis(millis);
  }

  /** Accepts what the REST API accepts: a number of milliseconds or a duration string. */
  public static Duration parseMillisOrText(String text) {
    return DurationGrammar.parseMillisOrText(text);
  }
}
