package dev.ferry.workflows;

/**
 * A step body that reads its context: {@code step.run("charge", ctx -> charge(ctx.attempt()))}.
 *
 * @param <T> the step's result, a JSON-serialisable value
 */
@FunctionalInterface
public interface StepFunction<T> {
  T apply(StepContext context) throws Exception;
}
