package dev.ferry.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A corpus of requests that are each wrong in at least one way, generated from the OpenAPI document
 * so every documented route is covered: wrong auth, bad path values, bad query values, malformed or
 * mistyped bodies, wrong methods, traversal. None may succeed.
 */
final class BadRequests {
  /** One request as bytes go on the wire; {@code path} is raw (already percent-encoded). */
  record Request(String why, String method, String path, Map<String, String> headers, byte[] body) {
    Request withHeader(String name, String value) {
      Map<String, String> more = new LinkedHashMap<>(headers);
      more.put(name, value);
      return new Request(why, method, path, more, body);
    }

    @Override
    public String toString() {
      return why + ": " + method + " " + (path.length() > 120 ? path.substring(0, 120) : path);
    }
  }

  /** Values that make any path segment invalid (or, for the last one, unknown). */
  private static final List<String> BAD_SEGMENTS =
      List.of(
          "%2e%2e",
          "..%2F..%2Fetc%2Fpasswd",
          "a%00b",
          "x".repeat(101),
          "bad%20name",
          "%C3%BCmlaut",
          "-leading-dash",
          "%F0%9F%98%80",
          "tab%09",
          "line%0Abreak",
          "%7F",
          "semi;colon");

  private static final String[] METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"};

  private final JsonNode document;
  private final Map<String, String> validPathValues;
  private final String token;
  private final String otherToken;

  BadRequests(JsonNode document, Map<String, String> validPathValues, String token, String other) {
    this.document = document;
    this.validPathValues = validPathValues;
    this.token = token;
    this.otherToken = other;
  }

  List<Request> all() {
    List<Request> out = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> path = paths.next();
      String template = path.getKey();
      Set<String> documented = new java.util.HashSet<>();
      path.getValue()
          .fields()
          .forEachRemaining(
              op -> {
                if (op.getKey().equals("parameters")) {
                  return;
                }
                documented.add(op.getKey().toUpperCase(Locale.ROOT));
                operation(out, template, op.getKey().toUpperCase(Locale.ROOT), op.getValue());
              });
      for (String method : METHODS) {
        if (!documented.contains(method)) {
          out.add(authorized(new Request("wrong method", method, fill(template), Map.of(), null)));
        }
      }
    }
    traversals(out);
    return out;
  }

  private boolean isAccountRoute(String template) {
    return template.startsWith("/client/v4/accounts/");
  }

  private void operation(List<Request> out, String template, String method, JsonNode op) {
    String path = fill(template);
    byte[] valid = validBody(op, method);
    if (isAccountRoute(template)) {
      out.add(new Request("no token", method, path, Map.of(), valid));
      out.add(plain(method, path, valid, "Bearer not-a-token-at-all-of-anyone", "bad token"));
      out.add(plain(method, path, valid, "Basic YWRtaW46YWRtaW4=", "basic auth"));
      out.add(plain(method, path, valid, "Bearer " + otherToken, "another account's token"));
      out.add(plain(method, path, valid, "Bearer", "empty bearer"));
    }
    for (String name : pathParameters(template)) {
      for (String bad : BAD_SEGMENTS) {
        out.add(
            authorized(
                new Request("bad " + name, method, fill(template, name, bad), Map.of(), valid)));
      }
      if (method.equals("GET")) {
        out.add(
            authorized(
                new Request(
                    "unknown " + name, method, fill(template, name, "nosuch"), Map.of(), null)));
      }
    }
    if (isAccountRoute(template)) {
      for (JsonNode parameter : parameters(template, op)) {
        if (parameter.path("in").asText().equals("query")) {
          query(out, method, path, parameter, valid);
        }
      }
    }
    JsonNode body = op.path("requestBody").path("content").path("application/json").path("schema");
    if (!op.path("requestBody").isMissingNode()) {
      bodies(out, method, path, resolve(body), template.endsWith("/events/{event_type}"));
    }
  }

  private void query(
      List<Request> out, String method, String path, JsonNode parameter, byte[] body) {
    String name = parameter.path("name").asText();
    JsonNode schema = resolve(parameter.path("schema"));
    List<String> values = new ArrayList<>();
    String type = schema.path("type").asText("");
    if (type.equals("integer")) {
      values.addAll(List.of("-1", "0", "abc", "1.5", "99999999999999999999999", "%20"));
    }
    if (schema.has("enum")) {
      values.addAll(List.of("bogus", "%C3%BC", "UPPER"));
    }
    if (schema.path("format").asText("").equals("date-time")) {
      values.addAll(List.of("yesterday", "2026-13-45T99:00:00Z", "1"));
    }
    if (parameter.path("required").asBoolean(false)) {
      values.add("");
    }
    for (String value : values) {
      String separator = path.contains("?") ? "&" : "?";
      out.add(
          authorized(
              new Request(
                  "bad query " + name + "=" + value,
                  method,
                  path + separator + name + "=" + value,
                  Map.of(),
                  body)));
    }
  }

  private void bodies(
      List<Request> out, String method, String path, JsonNode schema, boolean anyJson) {
    List<byte[]> bad = new ArrayList<>();
    bad.add(utf8("{"));
    bad.add(utf8("nul"));
    bad.add(utf8("{}xyz"));
    bad.add(utf8("{\"a\":1,\"a\":2}"));
    bad.add(utf8("[".repeat(100_000)));
    bad.add(utf8("{\"s\":\"\\ud800\"}"));
    bad.add(new byte[] {'{', '"', 's', '"', ':', '"', (byte) 0xC3, '(', '"', '}'});
    bad.add(utf8("{\"s\":\"raw\u0001control\"}"));
    bad.add(utf8("{\"n\":1e999999999}"));
    bad.add(utf8("{\"n\":" + "9".repeat(2_000) + "}"));
    if (!anyJson) {
      for (String top : List.of("42", "\"text\"", "null", "true", "[]", "{}")) {
        if (!(top.equals("{}") && acceptsEmptyObject(schema))) {
          bad.add(utf8(top));
        }
      }
      bad.add(utf8("{\"bogus_field\":1}"));
      typed(schema, bad);
    }
    for (byte[] body : bad) {
      String shown = new String(body, 0, Math.min(body.length, 40), StandardCharsets.UTF_8);
      out.add(authorized(new Request("bad body " + shown, method, path, Map.of(), body)));
    }
  }

  /** Each documented property with a value of the wrong JSON type. */
  private void typed(JsonNode schema, List<byte[]> bad) {
    JsonNode object =
        schema.path("type").asText("").equals("array") ? resolve(schema.path("items")) : schema;
    boolean array = schema.path("type").asText("").equals("array");
    object
        .path("properties")
        .fields()
        .forEachRemaining(
            property -> {
              String type = resolve(property.getValue()).path("type").asText("");
              List<String> wrong =
                  switch (type) {
                    case "string" -> List.of("42", "{}", "[\"a\"]", "\"" + "x".repeat(200) + "\"");
                    case "object" -> List.of("\"text\"", "[]", "7");
                    case "array" -> List.of("\"text\"", "{}", "[" + "1,".repeat(200) + "1]");
                    case "integer" -> List.of("\"1\"", "1.5", "-5", "99999999999999999999999");
                    case "boolean" -> List.of("\"yes\"", "1");
                    default -> List.of();
                  };
              for (String value : wrong) {
                String item = "{\"" + property.getKey() + "\":" + value + "}";
                bad.add(utf8(array ? "[" + item + "]" : item));
              }
            });
  }

  private static boolean acceptsEmptyObject(JsonNode schema) {
    return schema.path("type").asText("object").equals("object") && !schema.has("required");
  }

  private void traversals(List<Request> out) {
    for (String path :
        List.of(
            "/../../etc/passwd",
            "/client/v4/%2e%2e/%2e%2e/etc/passwd",
            "/client/v4/accounts/acct/workflows/%2e%2e%2f%2e%2e%2fhealth",
            "/client/v4/accounts/%2e%2e/workflows",
            "/client/v4/accounts/acct/workflows/three-steps/instances/%2e%2e",
            "/client/v4/accounts/acct/nothing-here",
            "/client/v4/accounts",
            "/client/v4/",
            "/%zz",
            "/client/v4/accounts/acct/workflows/%zz",
            "//client//v4//accounts//acct//workflows",
            "/client/v4/accounts/acct/workflows/three-steps/instances/x/events/",
            "/client/v4/accounts/acct/workflows/three-steps/instances/x/status/extra",
            "/client/v4/accounts/acct/workflows/three-steps/instances?page=" + "9".repeat(5_000))) {
      out.add(authorized(new Request("traversal or unknown", "GET", path, Map.of(), null)));
    }
    out.add(
        authorized(
            new Request(
                "oversized header",
                "GET",
                "/client/v4/accounts/acct/workflows",
                Map.of("X-Big", "a".repeat(20_000)),
                null)));
  }

  private List<JsonNode> parameters(String template, JsonNode op) {
    List<JsonNode> all = new ArrayList<>();
    document.path("paths").path(template).path("parameters").forEach(p -> all.add(resolve(p)));
    op.path("parameters").forEach(p -> all.add(resolve(p)));
    return all;
  }

  private static List<String> pathParameters(String template) {
    List<String> names = new ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{([a-z_]+)}").matcher(template);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  private String fill(String template) {
    String path = template;
    for (Map.Entry<String, String> value : validPathValues.entrySet()) {
      path = path.replace("{" + value.getKey() + "}", value.getValue());
    }
    return path;
  }

  private String fill(String template, String name, String value) {
    return fill(template.replace("{" + name + "}", value));
  }

  /** A body that would be accepted, so what is wrong with the request is elsewhere. */
  private static byte[] validBody(JsonNode op, String method) {
    String id = op.path("operationId").asText();
    String body =
        switch (id) {
          case "putWorkflow" -> "{\"class_name\":\"X\",\"script_name\":\"s\"}";
          case "createInstance" -> "{\"params\":{\"value\":1}}";
          case "createInstances" -> "[{\"params\":{\"value\":1}}]";
          case "deleteInstances" -> "{\"instances\":[\"nosuch\"]}";
          case "changeInstanceStatus" -> "{\"status\":\"pause\"}";
          case "sendEvent" -> "{\"x\":1}";
          default -> method.equals("GET") || method.equals("DELETE") ? null : "{}";
        };
    return body == null ? null : utf8(body);
  }

  private JsonNode resolve(JsonNode node) {
    JsonNode current = node;
    while (current.has("$ref")) {
      String ref = current.get("$ref").asText();
      current = document.at(ref.substring(1));
    }
    if (current.has("allOf")) {
      com.fasterxml.jackson.databind.node.ObjectNode merged =
          com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
      for (JsonNode part : current.get("allOf")) {
        JsonNode resolved = resolve(part);
        resolved
            .fields()
            .forEachRemaining(
                f -> {
                  if (f.getKey().equals("properties") && merged.has("properties")) {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) merged.get("properties"))
                        .setAll((com.fasterxml.jackson.databind.node.ObjectNode) f.getValue());
                  } else {
                    merged.set(f.getKey(), f.getValue());
                  }
                });
      }
      return merged;
    }
    return current;
  }

  private Request authorized(Request request) {
    return request.withHeader("Authorization", "Bearer " + token);
  }

  private static Request plain(String method, String path, byte[] body, String auth, String why) {
    return new Request(why, method, path, Map.of("Authorization", auth), body);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
