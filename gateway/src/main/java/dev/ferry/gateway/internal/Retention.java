package dev.ferry.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.gateway.ApiException;
import dev.ferry.schemas.DurationGrammar;
import dev.ferry.schemas.avro.CreateInstance;

/**
 * Parses {@code instance_retention: {success_retention, error_retention}}: milliseconds or a
 * duration string such as "5 minutes".
 */
final class Retention {
  private Retention() {}

  static void apply(JsonNode retention, CreateInstance.Builder create) {
    if (retention == null || retention.isNull()) {
      return;
    }
    if (!retention.isObject()) {
      throw ApiException.invalid("instance_retention must be an object");
    }
    create.setSuccessRetentionMs(millis(retention.get("success_retention"), "success_retention"));
    create.setErrorRetentionMs(millis(retention.get("error_retention"), "error_retention"));
  }

  static Long millis(JsonNode value, String field) {
    if (value == null || value.isNull()) {
      return null;
    }
    try {
      if (value.isIntegralNumber()) {
        return DurationGrammar.ofMillis(value.asLong()).toMillis();
      }
      if (value.isTextual()) {
        return DurationGrammar.parse(value.asText()).toMillis();
      }
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("instance_retention." + field + ": " + e.getMessage());
    }
    throw ApiException.invalid(
        "instance_retention." + field + " must be milliseconds or a duration like \"5 minutes\"");
  }
}
