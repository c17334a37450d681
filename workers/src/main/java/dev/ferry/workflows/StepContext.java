package dev.ferry.workflows;

/**
 * What a step's callback knows about itself.
 *
 * <pre>{@code
 * step.run("charge", ctx -> payments.charge(order, "attempt-" + ctx.attempt()));
 * }</pre>
 */
public interface StepContext {
  /** The name passed to {@code step.run}. */
  String name();

  /** 1-based occurrence of this name among this run's steps of the same kind. */
  int count();

  /** 1-based attempt number (1 = first try). */
  int attempt();

  /** The resolved config (defaults applied; pinned the first time the step ran). */
  StepConfig config();
}
