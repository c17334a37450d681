package dev.ferry.orchestrator.schedules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.schemas.Limits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FiringsTest {
  private static final Instant T = Instant.parse("2026-11-22T10:02:00Z");

  @Test
  void shouldListFiringsAfterTheCursorUpToNowOldestFirst() {
    assertThat(Firings.due("*/5 * * * *", T, Instant.parse("2026-11-22T10:16:00Z"), 100))
        .containsExactly(
            Instant.parse("2026-11-22T10:05:00Z"),
            Instant.parse("2026-11-22T10:10:00Z"),
            Instant.parse("2026-11-22T10:15:00Z"));
  }

  @Test
  void shouldNotRepeatTheFiringAtTheCursorAndIncludeOneExactlyAtNow() {
    Instant firing = Instant.parse("2026-11-22T10:05:00Z");

    assertThat(Firings.due("*/5 * * * *", firing, firing, 100)).isEmpty();
    assertThat(Firings.due("*/5 * * * *", T, firing, 100)).containsExactly(firing);
  }

  @Test
  void shouldKeepOnlyTheNewestFiringsAfterALongOutage() {
    assertThat(Firings.due("* * * * *", T, T.plusSeconds(3600), 2))
        .containsExactly(T.plusSeconds(3540), T.plusSeconds(3600));
  }

  @Test
  void shouldGiveEachFiringItsOwnStableId() {
    Instant at = Instant.parse("2026-11-22T10:05:00Z");

    assertThat(Firings.instanceId("*/5 * * * *", at))
        .isEqualTo(Firings.instanceId("*/5 * * * *", at))
        .startsWith("cron-20261122T1005-")
        .matches("^[a-zA-Z0-9_][a-zA-Z0-9-_]*$");
    assertThat(Firings.instanceId("5 * * * *", at))
        .isNotEqualTo(Firings.instanceId("*/5 * * * *", at));
  }

  @Test
  void shouldKeepOnlyValidDistinctSchedulesUpToTheLimit() {
    List<String> many = new ArrayList<>(List.of("not a cron", "*/5 * * * *", "*/5 * * * *"));
    for (int minute = 0; minute < 20_000; minute++) {
      many.add((minute % 60) + " " + (minute / 60 % 24) + " * * *");
    }

    List<String> usable = Firings.usable(many);

    assertThat(usable).hasSize(Limits.MAX_SCHEDULES).doesNotHaveDuplicates();
    assertThat(usable.get(0)).isEqualTo("*/5 * * * *");
    assertThat(usable).doesNotContain("not a cron");
  }
}
