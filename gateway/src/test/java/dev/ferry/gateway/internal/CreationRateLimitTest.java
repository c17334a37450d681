package dev.ferry.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.gateway.ApiError;
import dev.ferry.gateway.ApiException;
import io.github.bucket4j.TimeMeter;
import org.junit.jupiter.api.Test;

class CreationRateLimitTest {

  @Test
  void shouldAllowTheRateThenAnswer429PerWorkflow() {
    CreationRateLimit limit = new CreationRateLimit(2);
    limit.acquire("a", "wf");
    limit.acquire("a", "wf");

    assertThatThrownBy(() -> limit.acquire("a", "wf"))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("at most 2 instances per second")
        .extracting(e -> ((ApiException) e).error())
        .isEqualTo(ApiError.RATE_LIMITED);
    assertThatCode(() -> limit.acquire("a", "other")).doesNotThrowAnyException();
    assertThatCode(() -> limit.acquire("b", "wf")).doesNotThrowAnyException();
  }

  @Test
  void shouldDropIdleBucketsOnceThereAreManyWithoutChangingAnyAnswer() {
    long[] nanos = {0};
    CreationRateLimit limit =
        new CreationRateLimit(
            1,
            new TimeMeter() {
              @Override
              public long currentTimeNanos() {
                return nanos[0];
              }

              @Override
              public boolean isWallClockBased() {
                return false;
              }
            });
    for (int i = 0; i <= CreationRateLimit.SWEEP_ABOVE; i++) {
      limit.acquire("a", "wf-" + i);
    }
    nanos[0] += 2_000_000_000L; // every bucket refills

    limit.acquire("a", "busy");
    assertThatThrownBy(() -> limit.acquire("a", "busy")).isInstanceOf(ApiException.class);

    assertThat(limit.buckets()).isEqualTo(1);
  }
}
