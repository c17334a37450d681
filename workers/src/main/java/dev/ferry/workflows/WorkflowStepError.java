package dev.ferry.workflows;

/**
 * A step failed for good (all attempts used). It is thrown from {@code step.run} to the workflow,
 * which may catch it; a replay throws it again with the recorded name and message.
 *
 * <pre>{@code
 * try {
 *   step.run("notify", () -> mailer.send(receipt));
 * } catch (WorkflowStepError e) {
 *   step.run("log failure", () -> audit.record(e.errorName(), e.getMessage()));
 * }
 * }</pre>
 */
public class WorkflowStepError extends WorkflowException {
  public WorkflowStepError(String errorName, String message, Throwable cause) {
    super(errorName, message, cause);
  }
}
