package dev.ferry.schemas;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Standard 5-field cron expressions (minute hour day-of-month month day-of-week, evaluated in UTC),
 * parsed by cron-utils with the Unix definition, the flavour Cloudflare's cron triggers use.
 *
 * <pre>{@code
 * CronSchedules.check("*&#47;5 * * * *");        // Optional.empty(): valid
 * CronSchedules.next("0 9 * * 1", Instant.now()); // next Monday 09:00 UTC
 * }</pre>
 */
public final class CronSchedules {
  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private CronSchedules() {}

  /** Why an expression is not a valid 5-field cron, or empty when it is. */
  public static Optional<String> check(String expression) {
    if (expression == null || expression.isBlank()) {
      return Optional.of("must be a 5-field cron expression such as \"*/5 * * * *\"");
    }
    if (expression.strip().split("\\s+").length != 5) {
      return Optional.of(
          "'" + expression + "' must have 5 fields: minute hour day-of-month month day-of-week");
    }
    try {
      PARSER.parse(expression).validate();
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of("'" + expression + "' is not a valid cron expression: " + e.getMessage());
    }
  }

  /** The first firing strictly after {@code after}; empty if the expression never fires again. */
  public static Optional<Instant> next(String expression, Instant after) {
    Cron cron = PARSER.parse(expression);
    return ExecutionTime.forCron(cron)
        .nextExecution(after.atZone(ZoneOffset.UTC))
        .map(time -> time.toInstant());
  }
}
