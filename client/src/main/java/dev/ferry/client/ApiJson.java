package dev.ferry.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Reading the API's JSON: absent and null fields become Java nulls, times become instants. */
final class ApiJson {
  private ApiJson() {}

  static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isMissingNode() || value.isNull() ? null : value.asText();
  }

  static Instant time(JsonNode node, String field) {
    String text = text(node, field);
    return text == null ? null : Instant.parse(text);
  }

  static Boolean bool(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isBoolean() ? value.asBoolean() : null;
  }

  /** The field as JSON, or null when it is absent or JSON null. */
  static JsonNode value(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isMissingNode() || value.isNull() ? null : value;
  }

  static <T> List<T> list(JsonNode array, Function<JsonNode, T> each) {
    List<T> out = new ArrayList<>();
    for (JsonNode item : array) {
      out.add(each.apply(item));
    }
    return List.copyOf(out);
  }

  static InstanceStatus.ErrorDetail error(JsonNode node) {
    JsonNode error = node.path("error");
    return error.isObject()
        ? new InstanceStatus.ErrorDetail(
            error.path("name").asText(), error.path("message").asText())
        : null;
  }
}
