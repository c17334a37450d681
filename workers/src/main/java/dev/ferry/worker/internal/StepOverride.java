package dev.ferry.worker.internal;

import dev.ferry.workflows.StepFunction;

/**
 * Lets the test kit replace a step's body (a mocked result or error). Production runs use {@link
 * #NONE}.
 */
public interface StepOverride {
  StepOverride NONE =
      new StepOverride() {
        @Override
        public <T> StepFunction<T> apply(String name, int count, StepFunction<T> body) {
          return body;
        }
      };

  /** The body to run for step {@code name}/{@code count}: the original or a replacement. */
  <T> StepFunction<T> apply(String name, int count, StepFunction<T> body);
}
