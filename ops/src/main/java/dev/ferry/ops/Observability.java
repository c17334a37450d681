package dev.ferry.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * Where a process's parts put their metrics and readiness checks. A process running one part has
 * its own; {@code ferry dev} gives every part the same one, so one {@code /metrics} and one {@code
 * /readyz} cover them all.
 */
public record Observability(PrometheusMeterRegistry registry, Health health) {
  public static Observability create() {
    return new Observability(FerryMetrics.newRegistry(), new Health());
  }

  /**
   * Serves this on an admin port unless {@code port} is -1 (then null): for a part running alone.
   */
  public AdminServer serve(String host, int port, String part, String portSetting) {
    return port < 0 ? null : AdminServer.start(host, port, registry, health, part, portSetting);
  }
}
