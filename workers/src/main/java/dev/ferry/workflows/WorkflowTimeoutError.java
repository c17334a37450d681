package dev.ferry.workflows;

/**
 * An attempt ran past its step's timeout (a retryable failure), or a wait for an event timed out.
 *
 * <pre>{@code
 * catch (WorkflowTimeoutError e) { log.warn("gave up waiting: {}", e.getMessage()); }
 * }</pre>
 */
public class WorkflowTimeoutError extends WorkflowException {
  public static final String NAME = dev.ferry.schemas.ErrorNames.TIMEOUT;

  public WorkflowTimeoutError(String message) {
    super(NAME, message);
  }
}
