package dev.ferry.worker.internal;

import dev.ferry.ops.FerryMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;

/**
 * What a worker counts: step attempts and the failed ones, how long attempts take, and how long an
 * activation waited between the orchestrator writing its task and a worker starting to run it.
 * Labelled by workflow only: step names may be made at run time, and a label per name would grow
 * without bound.
 */
public final class WorkerMetrics {
  private final MeterRegistry registry;

  public WorkerMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Metrics kept nowhere (the test kit, tools). */
  public static WorkerMetrics none() {
    return new WorkerMetrics(new SimpleMeterRegistry());
  }

  /** One attempt of a step ended. */
  void attemptFinished(String workflow, boolean success, Duration took) {
    Counter.builder("ferry.step.attempts")
        .description("Step attempts run")
        .tag("workflow", workflow)
        .register(registry)
        .increment();
    if (!success) {
      Counter.builder("ferry.step.failures")
          .description("Step attempts that failed (threw, timed out, or returned too much)")
          .tag("workflow", workflow)
          .register(registry)
          .increment();
    }
    Timer.builder("ferry.step.duration")
        .description("How long one step attempt ran")
        .tag("workflow", workflow)
        .tag("outcome", success ? "succeeded" : "failed")
        .serviceLevelObjectives(FerryMetrics.LATENCY_BUCKETS)
        .register(registry)
        .record(took);
  }

  /** A run starts {@code waited} after its task was written. */
  public void activationStarted(String workflow, Duration waited) {
    Timer.builder("ferry.activation.latency")
        .description("From the orchestrator writing a task to a worker starting to run it")
        .tag("workflow", workflow)
        .serviceLevelObjectives(FerryMetrics.LATENCY_BUCKETS)
        .register(registry)
        .record(waited.isNegative() ? Duration.ZERO : waited);
  }
}
