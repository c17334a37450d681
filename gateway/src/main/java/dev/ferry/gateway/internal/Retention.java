package dev.ferry.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.gateway.ApiException;
import dev.ferry.schemas.DurationGrammar;
import dev.ferry.schemas.avro.CreateInstance;

/**
 * Parses a retention object ({@code instance_retention} of a create, {@code default_retention} of a
 * workflow): {@code {success_retention, error_retention}}, each milliseconds or a duration string
 * such as "5 minutes".
 */
final class Retention {
  private static final java.util.Set<String> FIELDS =
      java.util.Set.of("success_retention", "error_retention");

  /** Either value may be null (not set). */
  record Parsed(Long successMs, Long errorMs) {}

  private Retention() {}

  static void apply(JsonNode retention, CreateInstance.Builder create) {
    Parsed parsed = parse(retention, "instance_retention");
    create.setSuccessRetentionMs(parsed.successMs());
    create.setErrorRetentionMs(parsed.errorMs());
  }

  static Parsed parse(JsonNode retention, String field) {
    if (retention == null || retention.isNull()) {
      return new Parsed(null, null);
    }
    if (!retention.isObject()) {
      throw ApiException.invalid(field + " must be an object");
    }
    RequestFields.allowOnly(retention, FIELDS, field + ".");
    return new Parsed(
        millis(retention.get("success_retention"), field + ".success_retention"),
        millis(retention.get("error_retention"), field + ".error_retention"));
  }

  private static Long millis(JsonNode value, String field) {
    if (value == null || value.isNull()) {
      return null;
    }
    try {
      if (value.isIntegralNumber()) {
        if (!value.canConvertToLong()) {
          throw new IllegalArgumentException("duration " + value + " ms is too large");
        }
        return DurationGrammar.ofMillis(value.asLong()).toMillis();
      }
      if (value.isTextual()) {
        return DurationGrammar.parse(value.asText()).toMillis();
      }
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(field + ": " + e.getMessage());
    }
    throw ApiException.invalid(field + " must be milliseconds or a duration like \"5 minutes\"");
  }
}
