package dev.ferry.client;

/**
 * The API refused a request or could not be reached. {@link #code()} is the API's error code (e.g.
 * 10400 instance not found, 10401 already exists, 10429 rate limited; 0 when there was no answer)
 * and {@link #httpStatus()} the HTTP status (0 when there was no answer).
 */
public class WorkflowsException extends RuntimeException {
  private final int httpStatus;
  private final int code;

  public WorkflowsException(int httpStatus, int code, String message, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.code = code;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public int code() {
    return code;
  }
}
