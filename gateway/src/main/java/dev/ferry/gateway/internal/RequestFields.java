package dev.ferry.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.gateway.ApiException;
import java.util.Set;

/** Checks on request bodies shared by the routes, with messages that name the field. */
final class RequestFields {
  private RequestFields() {}

  /** Rejects a field not in {@code allowed}; {@code where} prefixes names, e.g. "limits.". */
  static void allowOnly(JsonNode body, Set<String> allowed, String where) {
    body.fieldNames()
        .forEachRemaining(
            field -> {
              if (!allowed.contains(field)) {
                throw ApiException.invalid(
                    "unknown field '"
                        + where
                        + field
                        + "'; allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()));
              }
            });
  }

  /** A required non-blank string field. */
  static String requiredText(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      throw ApiException.invalid(field + " is required");
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      throw ApiException.invalid(field + " must be a non-empty string");
    }
    return value.asText();
  }
}
