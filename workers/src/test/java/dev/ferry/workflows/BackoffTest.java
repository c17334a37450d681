package dev.ferry.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void shouldWaitTheBaseDelayEveryTimeWhenConstant() {
    assertThat(Backoff.CONSTANT.delayMillis(1000, 1)).isEqualTo(1000);
    assertThat(Backoff.CONSTANT.delayMillis(1000, 4)).isEqualTo(1000);
  }

  @Test
  void shouldMultiplyByAttemptsMadeWhenLinear() {
    assertThat(Backoff.LINEAR.delayMillis(1000, 1)).isEqualTo(1000);
    assertThat(Backoff.LINEAR.delayMillis(1000, 3)).isEqualTo(3000);
  }

  @Test
  void shouldDoubleEachTimeWhenExponential() {
    assertThat(Backoff.EXPONENTIAL.delayMillis(10_000, 1)).isEqualTo(10_000);
    assertThat(Backoff.EXPONENTIAL.delayMillis(10_000, 2)).isEqualTo(20_000);
    assertThat(Backoff.EXPONENTIAL.delayMillis(10_000, 5)).isEqualTo(160_000);
  }

  @Test
  void shouldSaturateInsteadOfOverflowing() {
    assertThat(Backoff.EXPONENTIAL.delayMillis(10_000, 10_000)).isEqualTo(Long.MAX_VALUE);
    assertThat(Backoff.LINEAR.delayMillis(Long.MAX_VALUE / 2, 3)).isEqualTo(Long.MAX_VALUE);
    assertThat(Backoff.EXPONENTIAL.delayMillis(0, 10_000)).isZero();
  }

  @Test
  void shouldKeepDefaultsForSettingsLeftOut() {
    StepConfig config = StepConfig.retries(3);

    assertThat(config.retryLimit()).isEqualTo(3);
    assertThat(config.retryDelay()).contains(java.time.Duration.ofSeconds(10));
    assertThat(config.backoff()).isEqualTo(Backoff.EXPONENTIAL);
    assertThat(config.timeout()).isEqualTo(java.time.Duration.ofMinutes(10));
  }

  @Test
  void shouldRejectRetryLimitOverTenThousandNamingTheField() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> StepConfig.retries(10_001))
        .hasMessageContaining("retries.limit")
        .hasMessageContaining("10000");
  }
}
