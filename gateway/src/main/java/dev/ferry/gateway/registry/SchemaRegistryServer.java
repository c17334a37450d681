package dev.ferry.gateway.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.schemas.Json;
import dev.ferry.schemas.registry.CompatibilityLevel;
import dev.ferry.schemas.registry.InMemorySchemaRegistry;
import dev.ferry.schemas.registry.RegisteredSchema;
import dev.ferry.schemas.registry.SchemaRegistryException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A Confluent-compatible Schema Registry (Avro only) for the single-machine stack: the REST paths,
 * JSON shapes and error codes of Confluent's API, with schemas kept in a compacted Kafka topic.
 * Production deployments point {@code schema.registry.url} at Confluent, Karapace, Redpanda or
 * Apicurio instead.
 *
 * <pre>{@code
 * try (var registry = SchemaRegistryServer.start("127.0.0.1:9092", "_ferry-schemas", "127.0.0.1", 8081)) {
 *   ...
 * }
 * }</pre>
 */
public final class SchemaRegistryServer implements AutoCloseable {
  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  private final Javalin app;
  private final SchemaStore store;

  private SchemaRegistryServer(Javalin app, SchemaStore store) {
    this.app = app;
    this.store = store;
  }

  public static SchemaRegistryServer start(String bootstrap, String topic, String host, int port) {
    SchemaStore store = new SchemaStore(bootstrap, topic);
    Javalin app = Javalin.create(config -> config.showJavalinBanner = false);
    routes(app, store);
    app.start(host, port);
    return new SchemaRegistryServer(app, store);
  }

  static void routes(Javalin app, SchemaStore store) {
    InMemorySchemaRegistry view = store.view();
    app.get("/subjects", ctx -> reply(ctx, view.subjects()));
    app.get(
        "/subjects/{subject}/versions",
        ctx ->
            reply(
                ctx,
                view.versions(ctx.pathParam("subject")).stream()
                    .map(RegisteredSchema::version)
                    .toList()));
    app.post(
        "/subjects/{subject}/versions",
        ctx -> reply(ctx, Map.of("id", store.register(ctx.pathParam("subject"), schemaOf(ctx)))));
    app.post(
        "/subjects/{subject}",
        ctx -> reply(ctx, describe(view.lookup(ctx.pathParam("subject"), schemaOf(ctx)))));
    app.get(
        "/subjects/{subject}/versions/{version}",
        ctx ->
            reply(
                ctx, describe(version(view, ctx.pathParam("subject"), ctx.pathParam("version")))));
    app.get(
        "/subjects/{subject}/versions/{version}/schema",
        ctx ->
            ctx.contentType(CONTENT_TYPE)
                .result(
                    version(view, ctx.pathParam("subject"), ctx.pathParam("version"))
                        .schema()
                        .toString()));
    app.get(
        "/schemas/ids/{id}",
        ctx -> reply(ctx, Map.of("schema", view.getById(intParam(ctx, "id")).toString())));
    app.post(
        "/compatibility/subjects/{subject}/versions/{version}",
        ctx -> {
          String subject = ctx.pathParam("subject");
          view.versions(subject); // 40401 when the subject is unknown, as Confluent answers
          reply(
              ctx,
              Map.of(
                  "is_compatible",
                  view.isCompatible(subject, ctx.pathParam("version"), schemaOf(ctx))));
        });
    app.get(
        "/config", ctx -> reply(ctx, Map.of("compatibilityLevel", view.compatibility().name())));
    app.put(
        "/config",
        ctx -> {
          JsonNode body = Json.parse(ctx.body());
          String level = body.path("compatibility").asText("");
          try {
            store.setCompatibility(CompatibilityLevel.valueOf(level));
          } catch (IllegalArgumentException e) {
            throw new SchemaRegistryException(42203, "Invalid compatibility level: " + level);
          }
          reply(ctx, Map.of("compatibility", level));
        });
    app.exception(
        SchemaRegistryException.class,
        (e, ctx) -> {
          int code = e.errorCode();
          int status = code >= 10_000 ? code / 100 : code;
          ctx.status(status)
              .contentType(CONTENT_TYPE)
              .result(Json.write(error(code, e.getMessage())));
        });
    app.exception(
        Exception.class,
        (e, ctx) ->
            ctx.status(500)
                .contentType(CONTENT_TYPE)
                .result(
                    Json.write(
                        error(50001, "Error in the backend data store: " + e.getMessage()))));
  }

  private static RegisteredSchema version(InMemorySchemaRegistry view, String subject, String v) {
    if ("latest".equals(v) || "-1".equals(v)) {
      return view.latest(subject);
    }
    try {
      return view.version(subject, Integer.parseInt(v));
    } catch (NumberFormatException e) {
      throw new SchemaRegistryException(
          42202, "The specified version '" + v + "' is not a valid version id.");
    }
  }

  private static Schema schemaOf(Context ctx) {
    JsonNode body;
    try {
      body = Json.parse(ctx.body());
    } catch (IllegalArgumentException e) {
      throw new SchemaRegistryException(42201, "Invalid schema: request body is " + e.getMessage());
    }
    String type = body.path("schemaType").asText("AVRO");
    if (!"AVRO".equals(type)) {
      throw new SchemaRegistryException(
          42201, "Invalid schema: only AVRO is supported, got " + type);
    }
    try {
      return new Schema.Parser().parse(body.path("schema").asText());
    } catch (SchemaParseException e) {
      throw new SchemaRegistryException(42201, "Invalid schema: " + e.getMessage());
    }
  }

  private static int intParam(Context ctx, String name) {
    try {
      return Integer.parseInt(ctx.pathParam(name));
    } catch (NumberFormatException e) {
      throw new SchemaRegistryException(40403, "Schema " + ctx.pathParam(name) + " not found");
    }
  }

  private static Map<String, Object> describe(RegisteredSchema version) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("subject", version.subject());
    out.put("version", version.version());
    out.put("id", version.id());
    out.put("schema", version.schema().toString());
    return out;
  }

  private static Map<String, Object> error(int code, String message) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("error_code", code);
    out.put("message", message);
    return out;
  }

  private static void reply(Context ctx, Object body) {
    ctx.contentType(CONTENT_TYPE).result(Json.write(body));
  }

  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
    store.close();
  }
}
