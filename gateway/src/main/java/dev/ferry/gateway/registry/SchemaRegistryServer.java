package dev.ferry.gateway.registry;

import dev.ferry.gateway.internal.BoundedBodies;
import dev.ferry.gateway.internal.HeadRoutes;
import dev.ferry.gateway.internal.HttpsConnector;
import dev.ferry.ops.AdminServer;
import dev.ferry.ops.FerryMetrics;
import dev.ferry.ops.Observability;
import dev.ferry.ops.ReadinessCheck;
import dev.ferry.schemas.Json;
import dev.ferry.schemas.config.KafkaSettings;
import dev.ferry.schemas.config.StoreFile;
import dev.ferry.schemas.registry.SchemaRegistryException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A Confluent-compatible Schema Registry (Avro only) for the single-machine stack: the REST paths,
 * JSON shapes and error codes of Confluent's API, with schemas kept in a compacted Kafka topic.
 * Production deployments point {@code schema.registry.url} at Confluent, Karapace, Redpanda or
 * Apicurio instead.
 *
 * <p>Protection: it binds 127.0.0.1 unless told otherwise. With {@link Options#userInfo()} every
 * request needs HTTP basic auth and an authenticated caller may change anything; without it callers
 * are anonymous and may not delete Ferry's own subjects, change their settings or the registry's
 * mode. Ferry's subjects stay BACKWARD compatible unless an authenticated caller sets their level.
 * {@link Options#readOnly()} refuses every change.
 *
 * <pre>{@code
 * try (var registry = SchemaRegistryServer.start("127.0.0.1:9092", "_ferry-schemas", "127.0.0.1", 8081)) {
 *   ...
 * }
 * }</pre>
 */
public final class SchemaRegistryServer implements AutoCloseable {
  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  static final String AUTHENTICATED = "ferry.registry.authenticated";

  /** Largest request body: Confluent's default, far above any Avro schema Ferry registers. */
  static final long MAX_BODY_BYTES = 1024 * 1024;

  /** Where the registry keeps its schemas, where it listens, and how it is protected. */
  public record Options(
      KafkaSettings kafka,
      String topic,
      String host,
      int port,
      Optional<String> userInfo,
      boolean readOnly,
      Optional<StoreFile> tls,
      Optional<Observability> observability) {
    public static Options of(KafkaSettings kafka, String topic, String host, int port) {
      return new Options(
          kafka, topic, host, port, Optional.empty(), false, Optional.empty(), Optional.empty());
    }

    /** On a cluster that needs no client settings. */
    public static Options of(String bootstrap, String topic, String host, int port) {
      return of(KafkaSettings.of(bootstrap), topic, host, port);
    }

    /** These options with the protection a {@link RegistryConfig} sets. */
    public Options protectedBy(RegistryConfig config) {
      return new Options(
          kafka,
          topic,
          host,
          port,
          config.userInfo(),
          config.readOnly(),
          config.keyStore(),
          observability);
    }

    /**
     * These options adding the registry's readiness to {@code shared} (the process's, in {@code
     * ferry dev}); without, it has its own, served at /metrics and /readyz.
     */
    public Options observedBy(Observability shared) {
      return new Options(kafka, topic, host, port, userInfo, readOnly, tls, Optional.of(shared));
    }

    @Override
    public String toString() {
      return "Options["
          + host
          + ":"
          + port
          + ", topic "
          + topic
          + ", auth "
          + userInfo.isPresent()
          + ", read-only "
          + readOnly
          + ", https "
          + tls.isPresent()
          + "]";
    }
  }

  private final Javalin app;
  private final SchemaStore store;

  private SchemaRegistryServer(Javalin app, SchemaStore store) {
    this.app = app;
    this.store = store;
  }

  public static SchemaRegistryServer start(String bootstrap, String topic, String host, int port) {
    return start(Options.of(bootstrap, topic, host, port));
  }

  public static SchemaRegistryServer start(Options options) {
    SchemaStore store = new SchemaStore(options.kafka(), options.topic(), options.readOnly());
    Observability observability = options.observability().orElseGet(Observability::create);
    // The store replays its topic before the server answers: once it answers, it is ready.
    observability
        .health()
        .add(
            new ReadinessCheck(
                "schema registry server", () -> ReadinessCheck.Result.ready("topic replayed")));
    Javalin app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              options
                  .tls()
                  .ifPresent(
                      keyStore ->
                          HttpsConnector.install(config, options.host(), options.port(), keyStore));
              BoundedBodies.install(config, MAX_BODY_BYTES);
              // Probes and scrapes need no credentials, as everywhere in Ferry.
              config.routes.get(
                  AdminServer.LIVEZ, ctx -> ctx.json(java.util.Map.of("status", "ok")));
              config.routes.get(
                  AdminServer.READYZ,
                  ctx -> {
                    var report = observability.health().report();
                    ctx.status(report.ready() ? 200 : 503)
                        .contentType("application/json")
                        .result(report.toJson());
                  });
              config.routes.get(
                  AdminServer.METRICS,
                  ctx ->
                      ctx.contentType(FerryMetrics.CONTENT_TYPE)
                          .result(observability.registry().scrape()));
              authenticate(config.routes, options.userInfo());
              new RegistryRoutes(store).register(config.routes);
              HeadRoutes.mirrorGets(config);
              errors(config.routes);
            });
    if (options.tls().isPresent()) {
      app.start(); // on the HTTPS connector, the only one
    } else {
      app.start(options.host(), options.port());
    }
    return new SchemaRegistryServer(app, store);
  }

  private static final java.util.Set<String> UNGUARDED =
      java.util.Set.of(AdminServer.LIVEZ, AdminServer.READYZ, AdminServer.METRICS);

  /** With credentials configured every request must present them; without, all are anonymous. */
  private static void authenticate(JavalinDefaultRoutingApi app, Optional<String> userInfo) {
    Optional<byte[]> expected =
        userInfo.map(
            u ->
                ("Basic " + Base64.getEncoder().encodeToString(u.getBytes(StandardCharsets.UTF_8)))
                    .getBytes(StandardCharsets.UTF_8));
    app.before(
        ctx -> {
          if (UNGUARDED.contains(ctx.path())) {
            return;
          }
          if (expected.isEmpty()) {
            ctx.attribute(AUTHENTICATED, false);
            return;
          }
          String presented = Optional.ofNullable(ctx.header("Authorization")).orElse("");
          // Compared in constant time, so timing does not reveal how much of a guess was right.
          if (!MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), expected.get())) {
            ctx.header("WWW-Authenticate", "Basic realm=\"Ferry schema registry\"");
            throw new SchemaRegistryException(40101, "Unauthorized: basic auth credentials needed");
          }
          ctx.attribute(AUTHENTICATED, true);
        });
  }

  private static void errors(JavalinDefaultRoutingApi app) {
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
        HttpResponseException.class,
        (e, ctx) ->
            ctx.status(e.getStatus())
                .contentType(CONTENT_TYPE)
                .result(Json.write(error(e.getStatus(), e.getMessage()))));
    app.exception(
        Exception.class,
        (e, ctx) ->
            ctx.status(500)
                .contentType(CONTENT_TYPE)
                .result(
                    Json.write(
                        error(50001, "Error in the backend data store: " + e.getMessage()))));
    app.error(
        404,
        ctx -> {
          // Answers of the API itself are ours already; an unknown path gets the same shape.
          String type = ctx.res().getContentType();
          if (type == null || !type.startsWith(CONTENT_TYPE)) {
            ctx.contentType(CONTENT_TYPE)
                .result(
                    Json.write(
                        error(404, "HTTP 404 Not Found: " + ctx.method() + " " + ctx.path())));
          }
        });
  }

  static boolean authenticated(Context ctx) {
    return Boolean.TRUE.equals(ctx.attribute(AUTHENTICATED));
  }

  private static Map<String, Object> error(int code, String message) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("error_code", code);
    out.put("message", message);
    return out;
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
