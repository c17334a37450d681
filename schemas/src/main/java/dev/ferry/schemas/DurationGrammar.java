package dev.ferry.schemas;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration grammar of sleeps, retry delays, timeouts and retention: {@code "<number> <unit>"}
 * with unit second, minute, hour, day, week, month (30 days) or year (365 days), singular or
 * plural, one space; the number may have a fraction ({@code "1.5 days"}). A plain number is
 * milliseconds.
 *
 * <pre>{@code
 * Duration d = DurationGrammar.parse("26 hours");
 * }</pre>
 */
public final class DurationGrammar {
  private static final Pattern GRAMMAR =
      Pattern.compile("^(\\d+(?:\\.\\d+)?) (second|minute|hour|day|week|month|year)s?$");
  private static final Map<String, Long> UNIT_MILLIS =
      Map.of(
          "second", 1_000L,
          "minute", 60_000L,
          "hour", 3_600_000L,
          "day", 86_400_000L,
          "week", 7 * 86_400_000L,
          "month", 30 * 86_400_000L,
          "year", 365 * 86_400_000L);

  /**
   * Longest duration text: any duration that fits in milliseconds is far shorter, and a bound keeps
   * a megabyte of digits from costing seconds of big-number arithmetic per request.
   */
  public static final int MAX_LENGTH = 64;

  private DurationGrammar() {}

  /** Parses a duration string; the message of the exception quotes the bad input. */
  public static Duration parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("duration is required, e.g. \"10 seconds\"");
    }
    if (text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "invalid duration \""
              + text.substring(0, 20)
              + "...\" ("
              + text.length()
              + " characters): a duration has at most "
              + MAX_LENGTH
              + ", e.g. \"5 minutes\"");
    }
    Matcher matcher = GRAMMAR.matcher(text);
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          "invalid duration \""
              + text
              + "\": expected \"<number> <unit>\" with unit"
              + " second|minute|hour|day|week|month|year (singular or plural), e.g. \"5 minutes\"");
    }
    BigDecimal millis =
        new BigDecimal(matcher.group(1))
            .multiply(BigDecimal.valueOf(UNIT_MILLIS.get(matcher.group(2))))
            .setScale(0, RoundingMode.HALF_UP);
    try {
      return Duration.ofMillis(millis.longValueExact());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("duration \"" + text + "\" is too large", e);
    }
  }

  /** A number of milliseconds as a duration; negative values are rejected. */
  public static Duration ofMillis(long millis) {
    if (millis < 0) {
      throw new IllegalArgumentException("duration must not be negative, got " + millis + " ms");
    }
    return Duration.ofMillis(millis);
  }

  /** Accepts what the REST API accepts: a JSON number of milliseconds or a duration string. */
  public static Duration parseMillisOrText(String text) {
    if (text != null && text.length() <= MAX_LENGTH && text.matches("^\\d+$")) {
      try {
        return ofMillis(Long.parseLong(text));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("duration \"" + text + "\" is too large", e);
      }
    }
    return parse(text);
  }
}
