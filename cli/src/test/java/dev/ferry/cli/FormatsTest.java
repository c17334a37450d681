package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FormatsTest {
  @Test
  void shouldWriteDurationsInAtMostTwoUnits() {
    assertThat(Formats.duration(Duration.ofMillis(850))).isEqualTo("850 ms");
    assertThat(Formats.duration(Duration.ofMillis(2_500))).isEqualTo("2.5 s");
    assertThat(Formats.duration(Duration.ofSeconds(3))).isEqualTo("3 s");
    assertThat(Formats.duration(Duration.ofSeconds(184))).isEqualTo("3 min 4 s");
    assertThat(Formats.duration(Duration.ofMinutes(125))).isEqualTo("2 h 5 min");
    assertThat(Formats.duration(Duration.ofHours(76))).isEqualTo("3 d 4 h");
    assertThat(Formats.duration(Duration.ofDays(2))).isEqualTo("2 d");
  }

  @Test
  void shouldWriteTimesInUtcAndDashForWhatHasNotHappened() {
    assertThat(Formats.time(Instant.parse("2026-12-01T10:00:00.123Z")))
        .isEqualTo("2026-12-01 10:00:00.123 UTC");
    assertThat(Formats.time(null)).isEqualTo("-");
    assertThat(Formats.between(Instant.EPOCH, null)).isEqualTo("-");
  }

  @Test
  void shouldCutLongJsonAndSayHowMuchIsLeftOut() {
    String cut = Formats.json(new TextNode("x".repeat(100)), 10);

    assertThat(cut).startsWith("\"xxxxxxxxx…").endsWith("(92 more characters)");
    assertThat(Formats.json(new TextNode("short"), 10)).isEqualTo("\"short\"");
  }
}
