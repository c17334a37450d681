package dev.ferry.workflows;

import java.util.Objects;

/**
 * A step's compensation: the handler and its own retry/timeout settings (default: 2 retries, 1
 * second constant delay, 10 minutes per attempt). Handlers of the steps that ran are called in
 * reverse order when the instance fails, or when it is terminated with {@code rollback: true}.
 *
 * <pre>{@code
 * Charge charge = step.run("charge", StepConfig.defaults(),
 *     ctx -> payments.charge(order),
 *     Rollback.of(ctx -> payments.refund(ctx.output().id())).config(StepConfig.retries(5)));
 * }</pre>
 *
 * @param <T> the step's result type
 */
public final class Rollback<T> {
  static final StepConfig DEFAULT_CONFIG =
      StepConfig.retries(2, "1 second", Backoff.CONSTANT).timeout("10 minutes");

  private final RollbackHandler<T> handler;
  private final StepConfig config;

  private Rollback(RollbackHandler<T> handler, StepConfig config) {
    this.handler = Objects.requireNonNull(handler, "rollback handler");
    this.config = Objects.requireNonNull(config, "rollback config");
  }

  public static <T> Rollback<T> of(RollbackHandler<T> handler) {
    return new Rollback<>(handler, DEFAULT_CONFIG);
  }

  /** Retries and timeout of the handler (a NonRetryableError in the handler stops its retries). */
  public Rollback<T> config(StepConfig config) {
    return new Rollback<>(handler, config);
  }

  public RollbackHandler<T> handler() {
    return handler;
  }

  public StepConfig config() {
    return config;
  }
}
