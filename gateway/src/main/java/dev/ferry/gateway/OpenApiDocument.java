package dev.ferry.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The API's OpenAPI 3.1 description, checked in as {@code gateway/src/main/resources/openapi.yaml}
 * and served at {@code /client/v4/openapi.yaml} and {@code /client/v4/openapi.json} without a
 * token. Tests compare it with the routes the gateway registers and validate responses against it,
 * so it cannot drift from the code.
 */
public final class OpenApiDocument {
  public static final String RESOURCE = "/openapi.yaml";

  private OpenApiDocument() {}

  /** The document's YAML text. */
  public static String yaml() {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the gateway jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The document as a JSON tree. */
  public static JsonNode tree() {
    try {
      return new ObjectMapper(new YAMLFactory()).readTree(yaml());
    } catch (IOException e) {
      throw new UncheckedIOException("openapi.yaml is not valid YAML", e);
    }
  }

  static void register(JavalinDefaultRoutingApi app) {
    String yaml = yaml();
    String json = tree().toPrettyString();
    app.get(
        "/client/v4/openapi.yaml",
        ctx -> ctx.contentType("application/yaml; charset=utf-8").result(yaml));
    app.get("/client/v4/openapi.json", ctx -> ctx.contentType("application/json").result(json));
  }
}
