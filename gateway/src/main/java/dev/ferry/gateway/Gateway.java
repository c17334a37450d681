package dev.ferry.gateway;

import dev.ferry.gateway.internal.AccountQuota;
import dev.ferry.gateway.internal.Authentication;
import dev.ferry.gateway.internal.BoundedBodies;
import dev.ferry.gateway.internal.BulkJobs;
import dev.ferry.gateway.internal.CommandClient;
import dev.ferry.gateway.internal.DefinitionWriter;
import dev.ferry.gateway.internal.HeadRoutes;
import dev.ferry.gateway.internal.InstanceReadModel;
import dev.ferry.gateway.internal.InstancesRoutes;
import dev.ferry.gateway.internal.JobsRoutes;
import dev.ferry.gateway.internal.Warmup;
import dev.ferry.gateway.internal.WorkflowCatalog;
import dev.ferry.gateway.internal.WorkflowsRoutes;
import dev.ferry.ops.AdminServer;
import dev.ferry.ops.FerryMetrics;
import dev.ferry.ops.Health;
import dev.ferry.ops.Observability;
import dev.ferry.ops.RegistryCheck;
import dev.ferry.schemas.Json;
import dev.ferry.schemas.TopicProvisioner;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.registry.SchemaRegistryClients;
import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import io.javalin.json.JavalinJackson;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP gateway: Cloudflare's Workflows REST API under {@code /client/v4}. Writes become
 * commands on Kafka and wait for the orchestrator's reply; reads come from a read model built from
 * the status and history topics. It holds no workflow logic.
 *
 * <pre>{@code
 * try (Gateway gateway = Gateway.start(GatewayConfig.fromEnv(Map.of()))) {
 *   System.out.println("listening on " + gateway.port());
 * }
 * }</pre>
 */
public final class Gateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  private final Javalin app;
  private final List<AutoCloseable> parts;

  private Gateway(Javalin app, List<AutoCloseable> parts) {
    this.app = app;
    this.parts = parts;
  }

  /** Starts with metrics and readiness of its own (served on its port). */
  public static Gateway start(GatewayConfig config) {
    return start(config, Observability.create());
  }

  /**
   * Starts, serving {@code /metrics} and {@code /readyz} from {@code observability}: in {@code
   * ferry dev} every part shares it, so the gateway shows the whole stack's.
   */
  public static Gateway start(GatewayConfig config, Observability observability) {
    LOG.info("starting gateway with\n{}", config.describe());
    Topics topics =
        new Topics(config.topicPrefix(), SchemaRegistryClients.of(config.registrySettings()));
    TopicProvisioner.ensureFerryTopics(config, topics);
    AccessTokens tokens = config.accessTokens();
    LOG.info("API tokens configured for accounts {}", tokens.accounts());
    CommandClient commands =
        new CommandClient(
            config.kafka(),
            topics,
            Duration.ofMillis(config.getLong(GatewayConfig.REPLY_TIMEOUT_MS)));
    InstanceReadModel readModel =
        new InstanceReadModel(config.kafka(), topics, observability.registry(), config.stateDir());
    observability.health().add(RegistryCheck.of(topics));
    WorkflowCatalog catalog = new WorkflowCatalog(config.kafka(), topics);
    DefinitionWriter definitions = new DefinitionWriter(config.kafka(), topics);
    // Unique per process: a restarted gateway takes over the jobs it was running, as any other.
    String owner = java.util.UUID.randomUUID().toString().substring(0, 8);
    BulkJobs jobs =
        BulkJobs.durable(config.kafka(), config.topicPrefix(), owner, readModel, commands);
    Javalin app =
        create(
            config,
            new Authentication(tokens),
            Warmup.of(readModel, catalog),
            observability,
            new WorkflowsRoutes(catalog, readModel, definitions, commands, jobs),
            new InstancesRoutes(
                commands,
                readModel,
                catalog,
                config.getInt(GatewayConfig.CREATE_RATE),
                AccountQuota.of(config, readModel),
                jobs),
            new JobsRoutes(jobs));
    app.start(config.getString(GatewayConfig.HOST), config.getInt(GatewayConfig.PORT));
    return new Gateway(app, List.of(jobs, definitions, catalog, readModel, commands));
  }

  static Javalin create(
      GatewayConfig config,
      Authentication authentication,
      Warmup warmup,
      Observability observability,
      WorkflowsRoutes workflows,
      InstancesRoutes instances,
      JobsRoutes jobs) {
    return Javalin.create(
        javalin -> {
          javalin.startup.showJavalinBanner = false;
          BoundedBodies.install(javalin, config.getLong(GatewayConfig.MAX_BODY_BYTES));
          javalin.http.prefer405over404 = true;
          javalin.jsonMapper(new JavalinJackson(Json.mapper().copy(), false));
          // Requests Jetty refuses itself also get the JSON envelope, not an HTML page.
          javalin.jetty.modifyServer(
              server ->
                  server.setErrorHandler(new dev.ferry.gateway.internal.EnvelopeErrorHandler()));
          var routes = javalin.routes;
          authentication.register(routes);
          warmup.register(routes);
          workflows.register(routes);
          instances.register(routes);
          jobs.register(routes);
          dev.ferry.gateway.internal.DashboardFiles.register(routes);
          OpenApiDocument.register(routes);
          routes.get("/health", ctx -> ctx.json(Envelope.ok(Map.of("status", "ok"))));
          // Liveness: the process answers. Readiness: its views have read what their topics held
          // at start, so every answer it gives is true (a load balancer waits for it).
          routes.get("/livez", ctx -> ctx.json(Envelope.ok(Map.of("status", "ok"))));
          // With the checks of the parts sharing this process (all of ferry dev's): Kafka
          // Streams RUNNING, workers in their groups, the registry answering.
          routes.get(
              AdminServer.READYZ,
              ctx -> {
                try {
                  ctx.json(readiness(warmup, observability.health()));
                } catch (ApiException notReady) {
                  ctx.header("Retry-After", "1");
                  throw notReady;
                }
              });
          routes.get(
              AdminServer.METRICS,
              ctx ->
                  ctx.contentType(FerryMetrics.CONTENT_TYPE)
                      .result(observability.registry().scrape()));
          HeadRoutes.mirrorGets(javalin);
          ErrorMapping.register(routes, warmup);
        });
  }

  /** The envelope /readyz answers when ready; else the 503 to throw, naming what is missing. */
  private static Envelope readiness(Warmup warmup, Health health) {
    var notReady = warmup.readiness();
    if (notReady.isPresent()) {
      throw notReady.get();
    }
    Health.Report report = health.report();
    if (!report.ready()) {
      throw new ApiException(
          ApiError.STARTING,
          "not ready: "
              + report.entries().stream()
                  .filter(e -> !e.result().ready())
                  .map(e -> e.name() + ": " + e.result().detail())
                  .collect(java.util.stream.Collectors.joining("; ")));
    }
    Map<String, String> checks = new java.util.LinkedHashMap<>();
    report.entries().forEach(e -> checks.put(e.name(), e.result().detail()));
    return Envelope.ok(Map.of("status", "ready", "checks", checks));
  }

  public int port() {
    return app.port();
  }

  /**
   * Every route of the API as "METHOD path" (the dashboard's files aside), for checking the OpenAPI
   * document against the code.
   */
  public List<String> routes() {
    return app.unsafe.internalRouter.allHttpHandlers().stream()
        .map(handler -> handler.endpoint)
        .filter(endpoint -> endpoint.method.isHttpMethod() && endpoint.method != HandlerType.HEAD)
        .filter(endpoint -> !dev.ferry.gateway.internal.DashboardFiles.serves(endpoint.path))
        .map(endpoint -> endpoint.method.name() + " " + endpoint.path)
        .sorted()
        .toList();
  }

  @Override
  public void close() {
    app.stop();
    for (AutoCloseable part : parts) {
      try {
        part.close();
      } catch (Exception e) {
        LOG.warn("closing {} failed: {}", part.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
