package dev.ferry.gateway;

import dev.ferry.gateway.internal.CommandClient;
import dev.ferry.gateway.internal.InstanceReadModel;
import dev.ferry.gateway.internal.InstancesRoutes;
import dev.ferry.schemas.Json;
import dev.ferry.schemas.TopicProvisioner;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.registry.SchemaRegistryClients;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.time.Duration;
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
  private final CommandClient commands;
  private final InstanceReadModel readModel;

  private Gateway(Javalin app, CommandClient commands, InstanceReadModel readModel) {
    this.app = app;
    this.commands = commands;
    this.readModel = readModel;
  }

  public static Gateway start(GatewayConfig config) {
    LOG.info("starting gateway with\n{}", config.describe());
    Topics topics =
        new Topics(config.topicPrefix(), SchemaRegistryClients.forUrl(config.schemaRegistryUrl()));
    TopicProvisioner.ensureFerryTopics(config, topics);
    CommandClient commands =
        new CommandClient(
            config.bootstrapServers(),
            topics,
            Duration.ofMillis(config.getLong(GatewayConfig.REPLY_TIMEOUT_MS)));
    InstanceReadModel readModel = new InstanceReadModel(config.bootstrapServers(), topics);
    Javalin app =
        create(
            config,
            new InstancesRoutes(commands, readModel, config.getInt(GatewayConfig.CREATE_RATE)));
    app.start(config.getString(GatewayConfig.HOST), config.getInt(GatewayConfig.PORT));
    return new Gateway(app, commands, readModel);
  }

  static Javalin create(GatewayConfig config, InstancesRoutes instances) {
    Javalin app =
        Javalin.create(
            javalin -> {
              javalin.showJavalinBanner = false;
              javalin.http.maxRequestSize = config.getLong(GatewayConfig.MAX_BODY_BYTES);
              javalin.jsonMapper(new JavalinJackson(Json.mapper().copy(), false));
            });
    instances.register(app);
    app.get("/health", ctx -> ctx.json(Envelope.ok(Map.of("status", "ok"))));
    ErrorMapping.register(app);
    return app;
  }

  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
    commands.close();
    readModel.close();
  }
}
