package dev.ferry.gateway;

/** Root of the gateway's errors: becomes an error envelope with the catalogue's code and status. */
public class ApiException extends RuntimeException {
  private final ApiError error;

  public ApiException(ApiError error, String message) {
    super(message);
    this.error = error;
  }

  public ApiError error() {
    return error;
  }

  public static ApiException invalid(String message) {
    return new ApiException(ApiError.INVALID_INPUT, message);
  }
}
