package dev.ferry.schemas;

/**
 * Kafka could not be reached as configured: no broker answered, TLS failed, or the broker refused
 * the credentials. The message says which, and which settings to check; a process cannot start
 * without Kafka, so the launcher prints it without a stack trace.
 */
public class KafkaConnectionException extends RuntimeException {
  public KafkaConnectionException(String message, Throwable cause) {
    super(message, cause);
  }
}
