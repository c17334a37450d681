package dev.ferry.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({
    "1 second, 1000",
    "10 seconds, 10000",
    "1 minute, 60000",
    "1 hour, 3600000",
    "26 hours, 93600000",
    "1.5 days, 129600000",
    "2 weeks, 1209600000",
    "1 month, 2592000000",
    "1 year, 31536000000",
    "0 seconds, 0"
  })
  void shouldParseNumberAndUnitSingularOrPlural(String text, long millis) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "5",
        "5minutes",
        "5  minutes",
        "five minutes",
        "-1 second",
        "1 fortnight",
        "1 Hour",
        " 1 hour"
      })
  void shouldRejectAnythingElseQuotingTheInput(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + text + "\"");
  }

  @ParameterizedTest
  @CsvSource({"1500, 1500", "2 seconds, 2000"})
  void shouldTreatBareNumbersAsMilliseconds(String text, long millis) {
    assertThat(Durations.parseMillisOrText(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(strings = {"seconds", ""})
  void shouldRefuseAnOverlongDurationWithoutParsingItsNumber(String unit) {
    String digits = "9".repeat(2 * 1024 * 1024) + (unit.isEmpty() ? "" : " " + unit);

    assertThatThrownBy(() -> Durations.parseMillisOrText(digits))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 64")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
  }

  @ParameterizedTest
  @ValueSource(strings = {"99999999999999999999", "99999999999999999999 years"})
  void shouldRefuseADurationPastTheLargestNumberOfMilliseconds(String text) {
    assertThatThrownBy(() -> Durations.parseMillisOrText(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too large");
  }
}
