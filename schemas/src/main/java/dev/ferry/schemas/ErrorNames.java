package dev.ferry.schemas;

/**
 * The error names Ferry itself records (in {@code ErrorInfo.name}), as Cloudflare names them where
 * it has a name. Workflow code sees them as the names of the errors it catches; the API shows them
 * in {@code error.name}.
 */
public final class ErrorNames {
  /** Something in the engine went wrong: a lost attempt, an unprocessable record. */
  public static final String INTERNAL = "WorkflowInternalError";

  /** A wait for an event, or a step attempt, ran out of time. */
  public static final String TIMEOUT = "WorkflowTimeoutError";

  /** A limit was exceeded (steps per instance). */
  public static final String LIMIT = "WorkflowLimitError";

  /** Thrown by workflow code to stop retries. */
  public static final String NON_RETRYABLE = "NonRetryableError";

  /** The params do not fit the workflow's params type. */
  public static final String INVALID_PARAMS = "InvalidParams";

  /** A create for an id that already exists (recorded in the history, nothing else changes). */
  public static final String ALREADY_EXISTS = "InstanceAlreadyExists";

  private ErrorNames() {}
}
