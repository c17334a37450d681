package dev.ferry.orchestrator.internal;

import dev.ferry.ops.FerryMetrics;
import dev.ferry.schemas.avro.InstanceState;
import dev.ferry.schemas.avro.InstanceStatusCode;
import dev.ferry.schemas.avro.Timer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Locale;

/**
 * What the orchestrator counts, as it decides: instances created and finished per workflow, how
 * long they took from create to end, how late timers fire, and records sent to the dead-letter
 * topic by reason. Counted when a transition is carried out, so a transaction that aborts and is
 * processed again (after a crash) may count twice; the figures are for watching, not billing.
 */
public final class OrchestratorMetrics {
  /** Why records went to the dead-letter topic: a small fixed set, so it can be a label. */
  public enum DeadLetterReason {
    /** Not a record of the topic's schema (bad bytes, unknown schema id, a tombstone). */
    UNDECODABLE,
    /** Decoded, then refused by the state machine (unknown instance, invalid event, ...). */
    REFUSED,
    /** Handling it threw; the instance ended errored. */
    PROCESSING_FAILED;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final MeterRegistry registry;

  public OrchestratorMetrics(MeterRegistry registry) {
    this.registry = registry;
    // Known label values start at 0, so a rate over them works before the first dead letter.
    for (DeadLetterReason reason : DeadLetterReason.values()) {
      deadLetters(reason);
    }
  }

  /** Metrics kept nowhere (tests and tools that do not look). */
  public static OrchestratorMetrics none() {
    return new OrchestratorMetrics(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** One transition carried out: counts a create and an end of a run. */
  void transition(InstanceState before, InstanceState after, long now) {
    if (after == null) {
      return;
    }
    if (before == null) {
      // Not "ferry.instances.created": OpenMetrics reserves the _created suffix.
      counter("ferry.instance.creations", "Instances created", after).increment();
    }
    if (isEnd(after.getStatus()) && (before == null || !isEnd(before.getStatus()))) {
      String status = after.getStatus().name().toLowerCase(Locale.ROOT);
      Counter.builder("ferry.instances.ended")
          .description("Runs of instances that ended, by how (complete, errored, terminated)")
          .tag("account", after.getAccount())
          .tag("workflow", after.getWorkflow())
          .tag("status", status)
          .register(registry)
          .increment();
      io.micrometer.core.instrument.Timer.builder("ferry.instance.latency")
          .description("From create (or restart) to the end of the run")
          .tag("account", after.getAccount())
          .tag("workflow", after.getWorkflow())
          .tag("status", status)
          .serviceLevelObjectives(FerryMetrics.LATENCY_BUCKETS)
          .register(registry)
          .record(Duration.ofMillis(Math.max(0, now - after.getQueuedAt())));
    }
  }

  /** A timer fired at {@code now}: how long after it was due. */
  void timerFired(Timer timer, long now) {
    io.micrometer.core.instrument.Timer.builder("ferry.timer.lateness")
        .description("How long after its due time a timer fired")
        .tag("kind", timer.getKind().name().toLowerCase(Locale.ROOT))
        .serviceLevelObjectives(FerryMetrics.LATENCY_BUCKETS)
        .register(registry)
        .record(Duration.ofMillis(Math.max(0, now - timer.getDueAt())));
  }

  void deadLetter(DeadLetterReason reason) {
    deadLetters(reason).increment();
  }

  private Counter deadLetters(DeadLetterReason reason) {
    return Counter.builder("ferry.dead.letters")
        .description("Records sent to the dead-letter topic")
        .tag("reason", reason.label())
        .register(registry);
  }

  private Counter counter(String name, String description, InstanceState state) {
    return Counter.builder(name)
        .description(description)
        .tag("account", state.getAccount())
        .tag("workflow", state.getWorkflow())
        .register(registry);
  }

  private static boolean isEnd(InstanceStatusCode status) {
    return status == InstanceStatusCode.COMPLETE
        || status == InstanceStatusCode.ERRORED
        || status == InstanceStatusCode.TERMINATED;
  }
}
