package dev.ferry.workflows;

/**
 * Thrown inside a step: the step fails at once, without further attempts. Uncaught in {@code run},
 * the instance ends {@code errored} with this error's name and message.
 *
 * <pre>{@code
 * step.run("charge", () -> {
 *   if (card.expired()) throw new NonRetryableError("card expired");
 *   return payments.charge(card);
 * });
 * }</pre>
 */
public class NonRetryableError extends WorkflowException {
  public static final String NAME = dev.ferry.schemas.ErrorNames.NON_RETRYABLE;

  public NonRetryableError(String message) {
    this(message, NAME);
  }

  public NonRetryableError(String message, String name) {
    super(name == null || name.isBlank() ? NAME : name, message == null ? "" : message);
  }
}
