package dev.ferry.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The metrics registry of a Ferry process: Prometheus's, with the JVM's own metrics (memory, GC,
 * threads, class loading, CPU, uptime). Parts of the process add theirs to it; in {@code ferry dev}
 * every part shares one, so the gateway's {@code /metrics} shows them all.
 *
 * <p>Names are given in Micrometer's dotted form ({@code ferry.instances.created}); the registry
 * writes them as Prometheus expects ({@code ferry_instances_created_total}, times in seconds).
 */
public final class FerryMetrics {
  /** The content type of the Prometheus text format this registry writes. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  /**
   * Histogram buckets of every Ferry latency (steps, activations, timers, instances): from a
   * millisecond to ten minutes, few enough to keep a scrape small.
   */
  public static final java.time.Duration[] LATENCY_BUCKETS = {
    java.time.Duration.ofMillis(1),
    java.time.Duration.ofMillis(5),
    java.time.Duration.ofMillis(10),
    java.time.Duration.ofMillis(25),
    java.time.Duration.ofMillis(50),
    java.time.Duration.ofMillis(100),
    java.time.Duration.ofMillis(250),
    java.time.Duration.ofMillis(500),
    java.time.Duration.ofSeconds(1),
    java.time.Duration.ofMillis(2500),
    java.time.Duration.ofSeconds(5),
    java.time.Duration.ofSeconds(10),
    java.time.Duration.ofSeconds(30),
    java.time.Duration.ofMinutes(1),
    java.time.Duration.ofMinutes(10)
  };

  private FerryMetrics() {}

  public static PrometheusMeterRegistry newRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    bindJvm(registry);
    return registry;
  }

  @SuppressWarnings("resource") // the GC binder lives as long as the process
  private static void bindJvm(MeterRegistry registry) {
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }
}
