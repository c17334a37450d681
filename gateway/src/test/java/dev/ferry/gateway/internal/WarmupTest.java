package dev.ferry.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.gateway.ApiError;
import dev.ferry.gateway.ApiException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WarmupTest {
  /** A view that has caught up, or is stuck part way and never gets further. */
  private static final class Stuck implements Warmup.View {
    private final boolean caughtUp;

    Stuck(boolean caughtUp) {
      this.caughtUp = caughtUp;
    }

    @Override
    public boolean hasCaughtUpOnce() {
      return caughtUp;
    }

    @Override
    public boolean awaitCaughtUp(Duration timeout) {
      return caughtUp;
    }

    @Override
    public String startupProgress() {
      return caughtUp ? "10 of 10 records read" : "3 of 10 records read";
    }
  }

  private static final ApiException NOT_FOUND =
      new ApiException(ApiError.INSTANCE_NOT_FOUND, "instance 'x' not found");

  @Test
  void shouldAnswer503InsteadOfNotFoundWhileAViewIsStillReading() {
    Warmup warmup = new Warmup(List.of(new Stuck(true), new Stuck(false)));

    ApiException answer = warmup.mayStand(NOT_FOUND);

    assertThat(answer.error()).isEqualTo(ApiError.STARTING);
    assertThat(answer.error().httpStatus()).isEqualTo(503);
    assertThat(answer.getMessage()).contains("3 of 10 records read");
    assertThat(warmup.beforeRead()).isPresent();
    assertThat(warmup.ready()).isFalse();
  }

  @Test
  void shouldLetNotFoundStandAndReadsThroughOnceEveryViewHasCaughtUp() {
    Warmup warmup = new Warmup(List.of(new Stuck(true), new Stuck(true)));
    ApiException invalid = new ApiException(ApiError.INVALID_INPUT, "bad");

    assertThat(warmup.mayStand(NOT_FOUND)).isSameAs(NOT_FOUND);
    assertThat(warmup.mayStand(invalid)).isSameAs(invalid);
    assertThat(warmup.beforeRead()).isEmpty();
  }

  @Test
  void shouldBeReadyOnlyOnceEveryViewHasCaughtUp() {
    Warmup warming = new Warmup(List.of(new Stuck(true), new Stuck(false)));
    Warmup warm = new Warmup(List.of(new Stuck(true), new Stuck(true)));

    assertThat(warming.readiness())
        .hasValueSatisfying(
            e -> {
              assertThat(e.error().httpStatus()).isEqualTo(503);
              assertThat(e.getMessage()).contains("3 of 10 records read");
            });
    assertThat(warm.readiness()).isEmpty();
  }
}
