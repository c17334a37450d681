package dev.ferry.client;

/**
 * The API refused a request or could not be reached. {@link #code()} is the API's error code (e.g.
 * 10400 instance not found, 10401 already exists, 10429 rate limited; 0 when there was no answer)
 * and {@link #httpStatus()} the HTTP status (0 when there was no answer).
 */
public class WorkflowsException extends RuntimeException {
  private final int httpStatus;
  private final int code;
  private final boolean afterTimeout;

  public WorkflowsException(int httpStatus, int code, String message, Throwable cause) {
    this(httpStatus, code, message, cause, false);
  }

  private WorkflowsException(
      int httpStatus, int code, String message, Throwable cause, boolean afterTimeout) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.code = code;
    this.afterTimeout = afterTimeout;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public int code() {
    return code;
  }

  /**
   * True when an earlier try of the same request got no reply in time (504): the request may have
   * taken effect then, so a "conflict" now can be the first try's own doing.
   */
  public boolean followedATimeout() {
    return afterTimeout;
  }

  WorkflowsException afterTimeout() {
    return new WorkflowsException(httpStatus, code, getMessage(), getCause(), true);
  }
}
