package dev.ferry.workflows.testing;

import dev.ferry.worker.internal.StepOverride;
import dev.ferry.workflows.StepFunction;
import dev.ferry.workflows.WorkflowEntrypoint;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs a workflow class in memory, the way the engine does, without Kafka: the engine's own state
 * machine decides every transition and every activation, replay and recorded step happens as in
 * production, but sleeps and retry delays are skipped (time is virtual). Events can be sent, waits
 * timed out, steps mocked, and the instance paused, resumed, terminated (with rollback) and
 * restarted.
 *
 * <pre>{@code
 * WorkflowRun run = WorkflowTester.of(ApprovalWorkflow::new)
 *     .mockStepResult("prepare", "request mocked")
 *     .start(new ApprovalWorkflow.Params("laptop", 60));
 * assertThat(run.status()).isEqualTo(WorkflowRun.Status.WAITING);
 * run.sendEvent("approval", new ApprovalWorkflow.Approval("ada", true));
 * assertThat(run.output(String.class)).isEqualTo("request mocked approved by ada");
 * }</pre>
 *
 * Mocks and forced timeouts apply to every later {@link #start}. Instances are not thread-safe.
 */
public final class WorkflowTester {
  private final Supplier<? extends WorkflowEntrypoint<?, ?>> factory;
  private final Map<String, Object> results = new HashMap<>();
  private final Map<String, Throwable> errors = new HashMap<>();
  private final Map<String, AtomicInteger> errorsLeft = new HashMap<>();
  private final Set<String> forcedTimeouts = new HashSet<>();
  private final Set<String> lostDuring = new HashSet<>();
  private final java.util.List<Map.Entry<String, Object>> earlyEvents = new java.util.ArrayList<>();
  private Instant start = Instant.parse("2026-01-01T00:00:00Z");

  private WorkflowTester(Supplier<? extends WorkflowEntrypoint<?, ?>> factory) {
    this.factory = factory;
  }

  /** A tester creating a fresh workflow object for each activation, as workers do. */
  public static WorkflowTester of(Supplier<? extends WorkflowEntrypoint<?, ?>> factory) {
    return new WorkflowTester(factory);
  }

  /** Every {@code step.run(name, ...)} returns {@code value} without running its body. */
  public WorkflowTester mockStepResult(String name, Object value) {
    results.put(name, value);
    return this;
  }

  /** The first {@code times} attempts of step {@code name} throw {@code error}; later ones run. */
  public WorkflowTester mockStepError(String name, Throwable error, int times) {
    errors.put(name, error);
    errorsLeft.put(name, new AtomicInteger(times));
    return this;
  }

  /** The wait named {@code name} times out as soon as it is reached, even if events are queued. */
  public WorkflowTester forceEventTimeout(String waitName) {
    forcedTimeouts.add(waitName);
    return this;
  }

  /**
   * The first attempt of step {@code name} dies with its worker: nothing the activation reports
   * from then on arrives, the engine's lease expires (after 30 s of virtual time), the attempt is
   * recorded as failed ({@code WorkflowInternalError}) and counts against the step's retries.
   */
  public WorkflowTester loseWorkerDuring(String name) {
    lostDuring.add(name);
    return this;
  }

  /** An event sent right after creation, before the workflow reaches any wait. */
  public WorkflowTester event(String type, Object payload) {
    earlyEvents.add(Map.entry(type, payload));
    return this;
  }

  /** When the instance is created (virtual time; default 2026-01-01T00:00:00Z). */
  public WorkflowTester startingAt(Instant start) {
    this.start = start;
    return this;
  }

  /** Creates an instance with these params and runs it until it finishes or waits for an event. */
  public WorkflowRun start(Object params) {
    WorkflowRun run =
        new WorkflowRun(factory, override(), Set.copyOf(forcedTimeouts), start, params);
    // Sent right after the create, before the first activation runs: kept for the waits.
    earlyEvents.forEach(e -> run.keep(e.getKey(), e.getValue()));
    run.drive();
    return run;
  }

  private StepOverride override() {
    return new StepOverride() {
      @Override
      @SuppressWarnings("unchecked")
      public <T> StepFunction<T> apply(String name, int count, StepFunction<T> body) {
        if (count == 1 && lostDuring.contains(name)) {
          StepFunction<T> rest = otherwise(name, body);
          return ctx -> {
            if (ctx.attempt() == 1) {
              throw new WorkerLost();
            }
            return rest.apply(ctx);
          };
        }
        return otherwise(name, body);
      }

      @SuppressWarnings("unchecked")
      private <T> StepFunction<T> otherwise(String name, StepFunction<T> body) {
        AtomicInteger left = errorsLeft.get(name);
        if (left != null && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          Throwable error = errors.get(name);
          return ctx -> {
            if (error instanceof Exception exception) {
              throw exception;
            }
            throw (Error) error;
          };
        }
        if (results.containsKey(name)) {
          Object value = results.get(name);
          return ctx -> (T) value;
        }
        return body;
      }
    };
  }
}
