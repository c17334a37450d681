package dev.ferry.gateway.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.gateway.ApiError;
import dev.ferry.gateway.ApiException;
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
}
