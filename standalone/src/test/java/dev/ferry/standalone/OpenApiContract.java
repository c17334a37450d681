package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.ferry.gateway.OpenApiDocument;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The checked-in OpenAPI document as a test oracle: which operations it declares, and whether a
 * real answer matches the schema it declares for that operation and status.
 */
final class OpenApiContract {
  static final JsonNode DOCUMENT = OpenApiDocument.tree();
  private static final JsonSchemaFactory SCHEMAS =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  private static final Map<String, JsonSchema> CACHE = new ConcurrentHashMap<>();

  private OpenApiContract() {}

  /** Every documented operation as "METHOD path". */
  static Set<String> operations() {
    Set<String> operations = new TreeSet<>();
    DOCUMENT
        .path("paths")
        .fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        method -> {
                          if (!method.equals("parameters")) {
                            operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                          }
                        }));
    return operations;
  }

  /**
   * Asserts that the answer is what the document declares for its operation and status; an answer
   * to an undocumented route must be the documented error envelope.
   */
  static void assertConforms(Api.Response response) {
    Optional<String> template = template(response.method(), response.path());
    String method = response.method().toLowerCase(Locale.ROOT);
    String status = String.valueOf(response.status());
    JsonNode declared;
    if (template.isPresent()) {
      JsonNode responses =
          DOCUMENT.path("paths").path(template.get()).path(method).path("responses");
      declared = responses.has(status) ? responses.get(status) : responses.get("default");
      assertThat(declared)
          .as("%s %s declares status %s", response.method(), template.get(), status)
          .isNotNull();
    } else {
      assertThat(response.status()).as("status of an undocumented route").isGreaterThan(399);
      declared = DOCUMENT.at("/components/responses/Error");
    }
    if (declared.has("$ref")) {
      declared = resolve(declared.get("$ref").asText());
    }
    JsonNode schemaNode = declared.path("content").path("application/json").path("schema");
    JsonSchema schema =
        CACHE.computeIfAbsent(
            template.orElse("undocumented") + " " + method + " " + status,
            key -> compile(schemaNode));
    Set<ValidationMessage> problems = schema.validate(response.body());
    assertThat(problems)
        .as(
            "%s %s → %s does not match the OpenAPI document: %s",
            response.method(), response.path(), status, response.body())
        .isEmpty();
  }

  /** The documented path template a concrete path matches; literal segments win over params. */
  static Optional<String> template(String method, String path) {
    List<String> matching = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> paths = DOCUMENT.path("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> entry = paths.next();
      String regex = entry.getKey().replaceAll("\\{[^}]+}", "[^/]+");
      if (path.matches(regex) && entry.getValue().has(method.toLowerCase(Locale.ROOT))) {
        matching.add(entry.getKey());
      }
    }
    return matching.stream()
        .min(Comparator.comparingLong(t -> t.chars().filter(c -> c == '{').count()));
  }

  private static JsonNode resolve(String ref) {
    return DOCUMENT.at(ref.substring(1));
  }

  /** A schema whose {@code $ref}s into {@code #/components} resolve against the document. */
  private static JsonSchema compile(JsonNode schema) {
    ObjectNode root = dev.ferry.schemas.Json.mapper().createObjectNode();
    root.set("components", DOCUMENT.get("components").deepCopy());
    ((ObjectNode) root.path("components").path("schemas")).set("__answer", schema);
    root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    root.put("$ref", "#/components/schemas/__answer");
    return SCHEMAS.getSchema(root);
  }
}
