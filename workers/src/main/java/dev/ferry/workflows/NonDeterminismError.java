package dev.ferry.workflows;

/**
 * A replay met a step that differs from the recorded history at the same position: the workflow's
 * code no longer takes the path it took when the history was written. The instance ends {@code
 * errored} with a message naming both steps. It is an {@link Error} so that workflow code catching
 * {@code Exception} cannot hide it.
 *
 * <pre>{@code
 * // recorded: step 2 = do "charge"; code now calls step.run("refund", ...) there -> this error
 * }</pre>
 */
public final class NonDeterminismError extends Error {
  public static final String NAME = "NonDeterministicWorkflowError";

  public NonDeterminismError(String message) {
    super(message);
  }
}
