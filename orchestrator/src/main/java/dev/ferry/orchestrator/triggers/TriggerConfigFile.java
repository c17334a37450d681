package dev.ferry.orchestrator.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.schemas.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads triggers from a JSON file:
 *
 * <pre>{@code
 * {"triggers": [
 *   {"name": "orders", "topic": "shop.orders", "account": "dev", "workflow": "three-steps",
 *    "format": "json", "id": {"from": "field", "name": "orderId"},
 *    "params": {"from": "field", "name": "payload"}}]}
 * }</pre>
 *
 * {@code format} defaults to json, {@code id} to generated, {@code params} to the whole value.
 * Field names may be dotted paths ({@code order.id}). Errors name the trigger and the field.
 */
public final class TriggerConfigFile {
  private static final Set<String> FIELDS =
      Set.of("name", "topic", "account", "workflow", "format", "id", "params");

  private TriggerConfigFile() {}

  public static List<TriggerSpec> load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read triggers file " + file + ": " + e, e);
    }
    return parse(text, file.toString());
  }

  public static List<TriggerSpec> parse(String json, String source) {
    JsonNode root;
    try {
      root = Json.parse(json);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
    JsonNode list = root.path("triggers");
    if (!list.isArray()) {
      throw new IllegalArgumentException(source + ": expected {\"triggers\": [ ... ]}");
    }
    List<TriggerSpec> specs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Set<String> topics = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String where = source + ": triggers[" + i + "]";
      TriggerSpec spec;
      try {
        spec = spec(list.get(i));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
      if (!names.add(spec.name())) {
        throw new IllegalArgumentException(where + ": name '" + spec.name() + "' is used twice");
      }
      if (!topics.add(spec.topic())) {
        throw new IllegalArgumentException(
            where + ": topic '" + spec.topic() + "' already has a trigger");
      }
      specs.add(spec);
    }
    return List.copyOf(specs);
  }

  private static TriggerSpec spec(JsonNode node) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("must be an object");
    }
    node.fieldNames()
        .forEachRemaining(
            field -> {
              if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException(
                    "unknown field '" + field + "'; allowed: " + String.join(", ", FIELDS));
              }
            });
    JsonNode id = node.path("id");
    JsonNode params = node.path("params");
    return new TriggerSpec(
        text(node, "name"),
        text(node, "topic"),
        text(node, "account"),
        text(node, "workflow"),
        choice(node.path("format"), "format", TriggerSpec.Format.class, TriggerSpec.Format.JSON),
        choice(id.path("from"), "id.from", TriggerSpec.IdFrom.class, TriggerSpec.IdFrom.GENERATED),
        id.path("name").isTextual() ? id.path("name").asText() : null,
        choice(
            params.path("from"),
            "params.from",
            TriggerSpec.ParamsFrom.class,
            TriggerSpec.ParamsFrom.VALUE),
        params.path("name").isTextual() ? params.path("name").asText() : null);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    if (!value.isTextual()) {
      throw new IllegalArgumentException(field + " is required and must be a string");
    }
    return value.asText();
  }

  private static <E extends Enum<E>> E choice(
      JsonNode value, String field, Class<E> type, E fallback) {
    if (value.isMissingNode() || value.isNull()) {
      return fallback;
    }
    List<String> allowed = new ArrayList<>();
    for (E option : type.getEnumConstants()) {
      String name = option.name().toLowerCase(Locale.ROOT);
      allowed.add(name);
      if (name.equals(value.asText())) {
        return option;
      }
    }
    throw new IllegalArgumentException(
        field + " '" + value.asText() + "' must be one of: " + String.join(", ", allowed));
  }
}
