package dev.ferry.workflows;

import java.time.Duration;

/**
 * A retry delay computed from the failed attempt, e.g. honouring a server's Retry-After. The result
 * is still fed through the step's backoff formula.
 *
 * <pre>{@code
 * StepConfig.retries(5, (ctx, error) -> Duration.ofSeconds(ctx.attempt()), Backoff.CONSTANT)
 * }</pre>
 */
@FunctionalInterface
public interface RetryDelay {
  Duration delay(StepContext context, Throwable error);
}
