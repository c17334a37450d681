package dev.ferry.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CronSchedulesTest {
  @Test
  void shouldAcceptStandardFiveFieldExpressions() {
    assertThat(CronSchedules.check("*/5 * * * *")).isEmpty();
    assertThat(CronSchedules.check("0 9 * * 1-5")).isEmpty();
  }

  @Test
  void shouldExplainWhatIsWrongWithAnExpression() {
    assertThat(CronSchedules.check("* * * *")).get().asString().contains("5 fields");
    assertThat(CronSchedules.check("0 0 0 * * *")).get().asString().contains("5 fields");
    assertThat(CronSchedules.check("61 * * * *")).get().asString().contains("not a valid cron");
    assertThat(CronSchedules.check(" ")).isPresent();
  }

  @Test
  void shouldFindTheNextFiringInUtcStrictlyAfterTheGivenTime() {
    Instant mondayNine = Instant.parse("2026-11-23T09:00:00Z");

    assertThat(CronSchedules.next("0 9 * * 1", Instant.parse("2026-11-22T12:00:00Z")))
        .contains(mondayNine);
    assertThat(CronSchedules.next("0 9 * * 1", mondayNine))
        .contains(Instant.parse("2026-11-30T09:00:00Z"));
  }
}
