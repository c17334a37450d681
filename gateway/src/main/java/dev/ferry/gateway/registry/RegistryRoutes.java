package dev.ferry.gateway.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.schemas.Json;
import dev.ferry.schemas.registry.CompatibilityLevel;
import dev.ferry.schemas.registry.InMemorySchemaRegistry;
import dev.ferry.schemas.registry.RegisteredSchema;
import dev.ferry.schemas.registry.SchemaRegistryException;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * The Confluent Schema Registry API paths the standard clients call (Avro only), with Confluent's
 * JSON shapes and error codes. Who may do what is decided here; what the data allows, by the store.
 */
final class RegistryRoutes {
  private static final String SUBJECT = "/subjects/{subject}";
  private static final String VERSION = SUBJECT + "/versions/{version}";

  private final SchemaStore store;
  private final InMemorySchemaRegistry view;

  RegistryRoutes(SchemaStore store) {
    this.store = store;
    this.view = store.view();
  }

  void register(JavalinDefaultRoutingApi app) {
    app.get("/", ctx -> reply(ctx, Map.of()));
    schemas(app);
    subjects(app);
    app.post(
        "/compatibility" + VERSION,
        ctx -> compatibility(ctx, ctx.pathParam("subject"), ctx.pathParam("version")));
    app.post(
        "/compatibility" + SUBJECT + "/versions",
        ctx -> compatibility(ctx, ctx.pathParam("subject"), null));
    config(app);
    mode(app);
  }

  private void schemas(JavalinDefaultRoutingApi app) {
    app.get("/schemas/types", ctx -> reply(ctx, List.of("AVRO")));
    app.get(
        "/schemas/ids/{id}", ctx -> reply(ctx, Map.of("schema", view.getById(id(ctx)).toString())));
    app.get(
        "/schemas/ids/{id}/schema",
        ctx ->
            ctx.contentType(SchemaRegistryServer.CONTENT_TYPE)
                .result(view.getById(id(ctx)).toString()));
    app.get(
        "/schemas/ids/{id}/versions",
        ctx ->
            reply(
                ctx,
                view.versionsOfId(id(ctx), deleted(ctx)).stream()
                    .map(RegistryRoutes::subjectVersion)
                    .toList()));
    app.get(
        "/schemas/ids/{id}/subjects",
        ctx ->
            reply(
                ctx,
                view.versionsOfId(id(ctx), deleted(ctx)).stream()
                    .map(RegisteredSchema::subject)
                    .distinct()
                    .toList()));
  }

  private void subjects(JavalinDefaultRoutingApi app) {
    app.get("/subjects", ctx -> reply(ctx, view.subjects(deleted(ctx))));
    app.get(
        SUBJECT + "/versions",
        ctx ->
            reply(
                ctx,
                view.versions(ctx.pathParam("subject"), deleted(ctx)).stream()
                    .map(RegisteredSchema::version)
                    .toList()));
    app.post(
        SUBJECT + "/versions",
        ctx -> reply(ctx, Map.of("id", store.register(ctx.pathParam("subject"), schemaOf(ctx)))));
    app.post(
        SUBJECT, ctx -> reply(ctx, describe(view.lookup(ctx.pathParam("subject"), schemaOf(ctx)))));
    app.get(VERSION, ctx -> reply(ctx, describe(version(ctx, deleted(ctx)))));
    app.get(
        VERSION + "/schema",
        ctx ->
            ctx.contentType(SchemaRegistryServer.CONTENT_TYPE)
                .result(version(ctx, deleted(ctx)).schema().toString()));
    app.delete(
        SUBJECT,
        ctx -> {
          String subject = ctx.pathParam("subject");
          mayChangeFerrySubject(ctx, subject, "delete it");
          reply(ctx, store.deleteSubject(subject, permanent(ctx)));
        });
    app.delete(
        VERSION,
        ctx -> {
          String subject = ctx.pathParam("subject");
          mayChangeFerrySubject(ctx, subject, "delete its versions");
          boolean permanent = permanent(ctx);
          // A soft-deleted version is found too, so deleting it again answers 40406, not 40402.
          RegisteredSchema version =
              isLatest(ctx.pathParam("version")) ? version(ctx, permanent) : version(ctx, true);
          reply(ctx, store.deleteVersion(subject, version, permanent));
        });
  }

  private void compatibility(Context ctx, String subject, String version) {
    Schema schema = schemaOf(ctx);
    view.versions(subject); // 40401 when the subject is unknown, as Confluent answers
    String against = version == null ? "latest" : version;
    if (version != null) {
      against = String.valueOf(version(ctx, false).version());
    }
    reply(
        ctx,
        Map.of(
            "is_compatible", view.isCompatible(subject, against, schema, store.levelFor(subject))));
  }

  private void config(JavalinDefaultRoutingApi app) {
    app.get(
        "/config", ctx -> reply(ctx, Map.of("compatibilityLevel", view.compatibility().name())));
    app.put(
        "/config",
        ctx -> {
          CompatibilityLevel level = level(ctx);
          store.setCompatibility(level);
          reply(ctx, Map.of("compatibility", level.name()));
        });
    app.get(
        "/config/{subject}",
        ctx -> {
          String subject = ctx.pathParam("subject");
          boolean configured = view.compatibility(subject).isPresent();
          if (!configured
              && !FerrySubjects.isFerrySubject(subject)
              && !"true".equals(ctx.queryParam("defaultToGlobal"))) {
            throw notConfigured(subject);
          }
          // A Ferry subject's level is fixed at BACKWARD unless set: say so, as it is enforced.
          reply(ctx, Map.of("compatibilityLevel", store.levelFor(subject).name()));
        });
    app.put(
        "/config/{subject}",
        ctx -> {
          String subject = ctx.pathParam("subject");
          CompatibilityLevel level = level(ctx);
          // Clients such as kafkajs set BACKWARD before registering: the level enforced anyway.
          if (level != CompatibilityLevel.BACKWARD) {
            mayChangeFerrySubject(ctx, subject, "change its compatibility level");
          }
          store.setCompatibility(subject, level);
          reply(ctx, Map.of("compatibility", level.name()));
        });
    app.delete(
        "/config/{subject}",
        ctx -> {
          String subject = ctx.pathParam("subject");
          mayChangeFerrySubject(ctx, subject, "change its compatibility level");
          CompatibilityLevel was =
              view.compatibility(subject).orElseThrow(() -> notConfigured(subject));
          store.setCompatibility(subject, null);
          reply(ctx, Map.of("compatibilityLevel", was.name()));
        });
  }

  private void mode(JavalinDefaultRoutingApi app) {
    app.get("/mode", ctx -> reply(ctx, Map.of("mode", store.modeFor(null).name())));
    app.put(
        "/mode",
        ctx -> {
          RegistryMode mode = modeOf(ctx);
          requireAuthenticated(ctx, "change the registry's mode");
          store.setMode(mode);
          reply(ctx, Map.of("mode", mode.name()));
        });
    app.get(
        "/mode/{subject}",
        ctx -> {
          String subject = ctx.pathParam("subject");
          RegistryMode mode =
              "true".equals(ctx.queryParam("defaultToGlobal"))
                  ? store.modeFor(subject)
                  : store.subjectMode(subject).orElseThrow(() -> noMode(subject));
          reply(ctx, Map.of("mode", mode.name()));
        });
    app.put(
        "/mode/{subject}",
        ctx -> {
          String subject = ctx.pathParam("subject");
          RegistryMode mode = modeOf(ctx);
          mayChangeFerrySubject(ctx, subject, "change its mode");
          store.setMode(subject, mode);
          reply(ctx, Map.of("mode", mode.name()));
        });
    app.delete(
        "/mode/{subject}",
        ctx -> {
          String subject = ctx.pathParam("subject");
          mayChangeFerrySubject(ctx, subject, "change its mode");
          RegistryMode was = store.subjectMode(subject).orElseThrow(() -> noMode(subject));
          store.setMode(subject, null);
          reply(ctx, Map.of("mode", was.name()));
        });
  }

  private static SchemaRegistryException notConfigured(String subject) {
    return new SchemaRegistryException(
        40408, "Subject '" + subject + "' does not have subject-level compatibility configured");
  }

  private static SchemaRegistryException noMode(String subject) {
    return new SchemaRegistryException(
        40409, "Subject '" + subject + "' does not have subject-level mode configured");
  }

  /** Ferry's own subjects: only an authenticated caller may delete or reconfigure them. */
  private static void mayChangeFerrySubject(Context ctx, String subject, String what) {
    if (FerrySubjects.isFerrySubject(subject)) {
      requireAuthenticated(ctx, "'" + subject + "' (one of Ferry's own subjects): " + what);
    }
  }

  private static void requireAuthenticated(Context ctx, String what) {
    if (!SchemaRegistryServer.authenticated(ctx)) {
      throw new SchemaRegistryException(
          40301,
          "Forbidden: only an authenticated caller may "
              + what
              + " (run the registry with "
              + RegistryConfig.AUTH_USER_INFO
              + " set and send its credentials)");
    }
  }

  private RegisteredSchema version(Context ctx, boolean includeSoftDeleted) {
    String subject = ctx.pathParam("subject");
    String v = ctx.pathParam("version");
    if (isLatest(v)) {
      List<RegisteredSchema> versions = view.versions(subject, includeSoftDeleted);
      return versions.get(versions.size() - 1);
    }
    int number;
    try {
      number = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      number = 0;
    }
    if (number < 1) {
      throw new SchemaRegistryException(
          42202,
          "The specified version '"
              + v
              + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the"
              + " string \"latest\"");
    }
    return view.version(subject, number, includeSoftDeleted);
  }

  private static boolean isLatest(String version) {
    return "latest".equals(version) || "-1".equals(version);
  }

  private static Schema schemaOf(Context ctx) {
    JsonNode body = body(ctx, 42201, "Invalid schema");
    String type = body.path("schemaType").asText("AVRO");
    if (!"AVRO".equals(type)) {
      throw new SchemaRegistryException(
          42201, "Invalid schema: only AVRO is supported, got " + type);
    }
    if (!body.path("schema").isTextual()) {
      throw new SchemaRegistryException(42201, "Invalid schema: field 'schema' must be a string");
    }
    try {
      return new Schema.Parser().parse(body.path("schema").asText());
    } catch (SchemaParseException e) {
      throw new SchemaRegistryException(42201, "Invalid schema: " + e.getMessage());
    }
  }

  private static CompatibilityLevel level(Context ctx) {
    String level = body(ctx, 42203, "Invalid compatibility level").path("compatibility").asText("");
    try {
      return CompatibilityLevel.valueOf(level);
    } catch (IllegalArgumentException e) {
      throw new SchemaRegistryException(
          42203,
          "Invalid compatibility level: '"
              + level
              + "'. Valid values are "
              + List.of(CompatibilityLevel.values()));
    }
  }

  private static RegistryMode modeOf(Context ctx) {
    String mode = body(ctx, 42204, "Invalid mode").path("mode").asText("");
    try {
      return RegistryMode.valueOf(mode);
    } catch (IllegalArgumentException e) {
      throw new SchemaRegistryException(
          42204,
          "Invalid mode: '" + mode + "'. Valid values are " + List.of(RegistryMode.values()));
    }
  }

  private static JsonNode body(Context ctx, int code, String what) {
    try {
      return Json.parse(ctx.body());
    } catch (IllegalArgumentException e) {
      throw new SchemaRegistryException(code, what + ": request body is " + e.getMessage());
    }
  }

  private static int id(Context ctx) {
    try {
      return Integer.parseInt(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw new SchemaRegistryException(40403, "Schema " + ctx.pathParam("id") + " not found");
    }
  }

  private static boolean deleted(Context ctx) {
    return "true".equals(ctx.queryParam("deleted"));
  }

  private static boolean permanent(Context ctx) {
    return "true".equals(ctx.queryParam("permanent"));
  }

  private static Map<String, Object> subjectVersion(RegisteredSchema version) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("subject", version.subject());
    out.put("version", version.version());
    return out;
  }

  private static Map<String, Object> describe(RegisteredSchema version) {
    Map<String, Object> out = subjectVersion(version);
    out.put("id", version.id());
    out.put("schema", version.schema().toString());
    return out;
  }

  private static void reply(Context ctx, Object body) {
    ctx.contentType(SchemaRegistryServer.CONTENT_TYPE).result(Json.write(body));
  }
}
