package dev.ferry.worker.internal;

import dev.ferry.schemas.avro.ResolvedStepConfig;
import dev.ferry.workflows.Backoff;
import dev.ferry.workflows.NonRetryableError;
import dev.ferry.workflows.StepConfig;
import dev.ferry.workflows.StepContext;
import java.time.Duration;

/** Resolving a step's config, pinning it in the history, and computing retry delays. */
final class StepConfigs {
  static final long DYNAMIC_DELAY = dev.ferry.schemas.WakeTimes.DYNAMIC_DELAY;

  private StepConfigs() {}

  static ResolvedStepConfig resolve(StepConfig config) {
    return new ResolvedStepConfig(
        config.retryLimit(),
        config.retryDelay().map(Duration::toMillis).orElse(DYNAMIC_DELAY),
        dev.ferry.schemas.avro.Backoff.valueOf(config.backoff().name()),
        config.timeout().toMillis(),
        config.sensitive());
  }

  /**
   * The config a replayed step runs with: the pinned values, plus the delay function from the code
   * when the pinned delay is dynamic (a function cannot be recorded).
   */
  static StepConfig effective(ResolvedStepConfig pinned, StepConfig fromCode) {
    Backoff backoff = Backoff.valueOf(pinned.getBackoff().name());
    if (pinned.getRetryDelayMs() == DYNAMIC_DELAY && fromCode.retryDelayFunction().isPresent()) {
      StepConfig config =
          StepConfig.retries(pinned.getRetryLimit(), fromCode.retryDelayFunction().get(), backoff)
              .timeout(Duration.ofMillis(pinned.getTimeoutMs()));
      return pinned.getSensitive() ? config.sensitiveOutput() : config;
    }
    return StepConfig.resolved(
        pinned.getRetryLimit(),
        Duration.ofMillis(Math.max(0, pinned.getRetryDelayMs())),
        backoff,
        Duration.ofMillis(pinned.getTimeoutMs()),
        pinned.getSensitive());
  }

  /** The wait before the next attempt after {@code attemptsMade} attempts. */
  static long retryDelayMillis(
      StepConfig config, StepContext context, Throwable error, int attemptsMade) {
    long base;
    if (config.retryDelayFunction().isPresent()) {
      Duration computed;
      try {
        computed = config.retryDelayFunction().get().delay(context, error);
      } catch (RuntimeException e) {
        throw invalidDelay(context, e.toString());
      }
      if (computed == null || computed.isNegative()) {
        throw invalidDelay(context, String.valueOf(computed));
      }
      base = computed.toMillis();
    } else {
      base = config.retryDelay().orElseThrow().toMillis();
    }
    return config.backoff().delayMillis(base, attemptsMade);
  }

  private static NonRetryableError invalidDelay(StepContext context, String got) {
    return new NonRetryableError(
        "The delay function for step \""
            + context.name()
            + "-"
            + context.count()
            + "\" returned an invalid delay value (expected a non-negative duration), got "
            + got,
        "NonRetryableDelayError");
  }
}
