package dev.ferry.gateway;

/**
 * The gateway's error catalogue: one stable numeric code, HTTP status and meaning per kind of
 * failure. Codes 10000 (authentication), 10001 and 10400 are Cloudflare's own; the others are
 * Ferry's. The README's error table lists them all.
 */
public enum ApiError {
  UNAUTHENTICATED(10000, 401, "workflows.api.error.unauthenticated"),
  INTERNAL(10001, 500, "workflows.api.error.internal_server"),
  INVALID_INPUT(10002, 400, "workflows.api.error.invalid_input"),
  TIMEOUT(10003, 504, "workflows.api.error.timeout"),
  ROUTE_NOT_FOUND(10004, 404, "workflows.api.error.route_not_found"),
  INSTANCE_NOT_FOUND(10400, 404, "workflows.api.error.instance.not_found"),
  INSTANCE_ALREADY_EXISTS(10401, 409, "workflows.api.error.instance.already_exists"),
  STEP_NOT_FOUND(10403, 404, "workflows.api.error.step.not_found"),
  RATE_LIMITED(10429, 429, "workflows.api.error.rate_limited"),
  QUOTA_EXCEEDED(10430, 429, "workflows.api.error.quota_exceeded"),
  INVALID_TRANSITION(10402, 409, "workflows.api.error.instance.invalid_transition"),
  PAYLOAD_TOO_LARGE(10005, 413, "workflows.api.error.payload_too_large"),
  FORBIDDEN(10006, 403, "workflows.api.error.forbidden"),
  METHOD_NOT_ALLOWED(10007, 405, "workflows.api.error.method_not_allowed"),
  STARTING(10008, 503, "workflows.api.error.starting"),
  WORKFLOW_NOT_FOUND(10200, 404, "workflows.api.error.workflow.not_found"),
  VERSION_NOT_FOUND(10201, 404, "workflows.api.error.version.not_found"),
  JOB_NOT_FOUND(10500, 404, "workflows.api.error.job.not_found");

  private final int code;
  private final int httpStatus;
  private final String key;

  ApiError(int code, int httpStatus, String key) {
    this.code = code;
    this.httpStatus = httpStatus;
    this.key = key;
  }

  public int code() {
    return code;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** Cloudflare-style machine name, e.g. {@code workflows.api.error.instance.not_found}. */
  public String key() {
    return key;
  }
}
