package dev.ferry.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.schemas.avro.Attempt;
import dev.ferry.schemas.avro.Backoff;
import dev.ferry.schemas.avro.ResolvedStepConfig;
import dev.ferry.schemas.avro.StepKind;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.StepStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class WakeTimesTest {
  private static final long NOW = 1_000_000;

  @Test
  void shouldWakeASleepOfAFixedLengthThatLongAfterItIsRecorded() {
    StepRecord sleeping = entry(StepKind.SLEEP, StepStatus.SLEEPING).setDurationMs(5_000L).build();

    assertThat(WakeTimes.complete(sleeping, NOW).getWakeAt()).isEqualTo(NOW + 5_000);
  }

  @Test
  void shouldTimeAWaitOutAfterItsTimeout() {
    StepRecord waiting =
        entry(StepKind.WAIT_FOR_EVENT, StepStatus.WAITING).setDurationMs(60_000L).build();

    StepRecord completed = WakeTimes.complete(waiting, NOW);

    assertThat(completed.getWakeAt()).isEqualTo(NOW + 60_000);
    assertThat(WakeTimes.timeoutMessage(completed)).isEqualTo("Execution timed out after 60000ms");
  }

  @Test
  void shouldScheduleARetryFromThePinnedDelayAndBackoff() {
    StepRecord retry =
        entry(StepKind.DO, StepStatus.RETRY_WAIT)
            .setConfig(new ResolvedStepConfig(5, 10_000L, Backoff.EXPONENTIAL, 1_000L, false))
            .setAttempts(List.of(attempt(1), attempt(2), attempt(3)))
            .build();

    assertThat(WakeTimes.complete(retry, NOW).getWakeAt()).isEqualTo(NOW + 40_000);
  }

  @Test
  void shouldLeaveAWakeTimeTheWorkerSetAsItIs() {
    StepRecord dynamic =
        entry(StepKind.DO, StepStatus.RETRY_WAIT)
            .setConfig(
                new ResolvedStepConfig(5, WakeTimes.DYNAMIC_DELAY, Backoff.CONSTANT, 1L, false))
            .setWakeAt(NOW + 123)
            .build();

    assertThat(WakeTimes.complete(dynamic, NOW)).isSameAs(dynamic);
  }

  @Test
  void shouldGrowDelaysByBackoffAndSaturateInsteadOfOverflowing() {
    assertThat(WakeTimes.retryDelayMillis(Backoff.CONSTANT, 1_000, 4)).isEqualTo(1_000);
    assertThat(WakeTimes.retryDelayMillis(Backoff.LINEAR, 1_000, 3)).isEqualTo(3_000);
    assertThat(WakeTimes.retryDelayMillis(Backoff.EXPONENTIAL, 10_000, 5)).isEqualTo(160_000);
    assertThat(WakeTimes.retryDelayMillis(Backoff.EXPONENTIAL, 10_000, 10_000))
        .isEqualTo(Long.MAX_VALUE);
    assertThat(
            WakeTimes.complete(
                    entry(StepKind.SLEEP, StepStatus.SLEEPING)
                        .setDurationMs(Long.MAX_VALUE)
                        .build(),
                    NOW)
                .getWakeAt())
        .isEqualTo(Long.MAX_VALUE);
  }

  private static StepRecord.Builder entry(StepKind kind, StepStatus status) {
    return StepRecord.newBuilder()
        .setPosition(0)
        .setKind(kind)
        .setName("s")
        .setCount(1)
        .setStatus(status)
        .setStartedAt(NOW - 10);
  }

  private static Attempt attempt(int n) {
    return new Attempt(n, NOW - 10, NOW - 5, false, null);
  }
}
