package dev.ferry.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The small HTTP port of a process that has no API of its own (orchestrator, worker): {@code
 * /metrics} (Prometheus text format), {@code /livez} (the process answers), {@code /readyz} (200
 * when every readiness check passes, else 503; both with the checks as JSON) and {@code /health}
 * (as {@code /livez}). It uses the JDK's HTTP server: nothing here needs more.
 *
 * <pre>{@code
 * AdminServer admin = AdminServer.start("127.0.0.1", 8788, registry, health, "orchestrator");
 * }</pre>
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

  /** The routes, each defined once (also in the docs and tests). */
  public static final String METRICS = "/metrics";

  public static final String LIVEZ = "/livez";
  public static final String READYZ = "/readyz";
  public static final String HEALTH = "/health";

  private final HttpServer server;

  private AdminServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Starts serving on {@code host:port} (0 = any free port). {@code portSetting} names the setting
   * that chose the port, for the message when it is taken.
   */
  public static AdminServer start(
      String host,
      int port,
      PrometheusMeterRegistry registry,
      Health health,
      String part,
      String portSetting) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (BindException e) {
      throw new IllegalStateException(
          "the "
              + part
              + "'s admin port "
              + host
              + ":"
              + port
              + " is in use: set "
              + portSetting
              + " to a free port (0 = any free port, -1 = no admin port)",
          e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the admin port " + host + ":" + port, e);
    }
    server.createContext(
        METRICS, exchange -> answer(exchange, 200, FerryMetrics.CONTENT_TYPE, registry.scrape()));
    server.createContext(LIVEZ, exchange -> answer(exchange, 200, json(), "{\"status\":\"ok\"}"));
    server.createContext(HEALTH, exchange -> answer(exchange, 200, json(), "{\"status\":\"ok\"}"));
    server.createContext(
        READYZ,
        exchange -> {
          Health.Report report = health.report();
          answer(exchange, report.ready() ? 200 : 503, json(), report.toJson());
        });
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread thread = new Thread(r, "ferry-admin-" + part);
              thread.setDaemon(true);
              return thread;
            }));
    server.start();
    AdminServer admin = new AdminServer(server);
    LOG.info(
        "{} admin port: http://{}:{} ({}, {}, {})",
        part,
        host,
        admin.port(),
        METRICS,
        LIVEZ,
        READYZ);
    return admin;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static String json() {
    return "application/json";
  }

  private static void answer(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    try (exchange) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      if (exchange.getRequestMethod().equals("HEAD")) {
        exchange.sendResponseHeaders(status, -1);
        return;
      }
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
