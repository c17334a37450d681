package dev.ferry.schemas.registry;

/** The registry refused a request or could not be reached; carries Confluent's error code. */
public class SchemaRegistryException extends RuntimeException {
  private final int errorCode;

  public SchemaRegistryException(int errorCode, String message) {
    super(message);
    this.errorCode = errorCode;
  }

  public SchemaRegistryException(String message, Throwable cause) {
    super(message, cause);
    this.errorCode = 50001;
  }

  /** Confluent's code, e.g. 40401 subject not found, 40403 schema not found, 409 incompatible. */
  public int errorCode() {
    return errorCode;
  }
}
