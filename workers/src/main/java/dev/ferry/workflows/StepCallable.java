package dev.ferry.workflows;

/**
 * A step body without arguments: {@code step.run("load", () -> orders.load(id))}.
 *
 * @param <T> the step's result, a JSON-serialisable value
 */
@FunctionalInterface
public interface StepCallable<T> {
  T call() throws Exception;
}
