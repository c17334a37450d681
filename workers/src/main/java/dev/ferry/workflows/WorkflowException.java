package dev.ferry.workflows;

/**
 * Root of the SDK's errors. Each carries a {@link #errorName() name} that the instance's error and
 * the step history record next to the message.
 */
public class WorkflowException extends RuntimeException {
  private final String errorName;

  public WorkflowException(String errorName, String message) {
    super(message);
    this.errorName = errorName;
  }

  public WorkflowException(String errorName, String message, Throwable cause) {
    super(message, cause);
    this.errorName = errorName;
  }

  public String errorName() {
    return errorName;
  }
}
