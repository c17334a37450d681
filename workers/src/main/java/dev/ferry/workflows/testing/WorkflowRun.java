package dev.ferry.workflows.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ferry.schemas.WakeTimes;
import dev.ferry.schemas.avro.Activation;
import dev.ferry.schemas.avro.ErrorInfo;
import dev.ferry.schemas.avro.RunCompleted;
import dev.ferry.schemas.avro.RunFailed;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.StepStatus;
import dev.ferry.schemas.avro.WorkerReport;
import dev.ferry.worker.internal.ActivationRun;
import dev.ferry.worker.internal.StepExecutor;
import dev.ferry.worker.internal.StepOverride;
import dev.ferry.worker.internal.StepValues;
import dev.ferry.workflows.WorkflowEntrypoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * One in-memory instance started by {@link WorkflowTester}: its status, output, error and steps,
 * and the means to send it events.
 *
 * <pre>{@code
 * WorkflowRun run = WorkflowTester.of(SleepyWorkflow::new).start(new Params("Ada", 3));
 * assertThat(run.output(String.class)).isEqualTo("Hello, Ada! (slept 3 s)");
 * assertThat(run.elapsed()).isEqualTo(Duration.ofSeconds(3)); // virtual time, instant in reality
 * }</pre>
 */
public final class WorkflowRun {
  /** Where the instance stands. */
  public enum Status {
    COMPLETE,
    ERRORED,
    /** Waiting for an event nobody has sent yet: {@link #sendEvent} or {@link #timeOutWait}. */
    WAITING
  }

  /** A step as recorded: kind ("do", "sleep", "waitForEvent"), name, outcome and attempts. */
  public record Step(
      String kind,
      String name,
      int count,
      String status,
      int attempts,
      String outputJson,
      String error) {}

  private static final int MAX_ACTIVATIONS = 100_000;

  private final Supplier<? extends WorkflowEntrypoint<?, ?>> factory;
  private final StepOverride override;
  private final Set<String> forcedTimeouts;
  private final VirtualClock clock;
  private final Instant created;
  private final String params;
  private final StepValues values = new StepValues();
  private final TreeMap<Integer, StepRecord> history = new TreeMap<>();
  private final Map<String, Deque<String>> events = new HashMap<>();
  private Status status;
  private StepRecord waiting;
  private String outputJson;
  private ErrorInfo error;
  private int activations;

  WorkflowRun(
      Supplier<? extends WorkflowEntrypoint<?, ?>> factory,
      StepOverride override,
      Set<String> forcedTimeouts,
      Instant created,
      Object params) {
    this.factory = factory;
    this.override = override;
    this.forcedTimeouts = forcedTimeouts;
    this.clock = new VirtualClock(created);
    this.created = created;
    this.params = encode(params);
  }

  /** Plays the orchestrator: activate, apply the reports, fire timers at once, until it stops. */
  void drive() {
    try (StepExecutor executor = new StepExecutor()) {
      while (true) {
        if (++activations > MAX_ACTIVATIONS) {
          throw new IllegalStateException(
              "the workflow did not finish after " + MAX_ACTIVATIONS + " activations");
        }
        List<WorkerReport> reports = new ArrayList<>();
        new ActivationRun(
                activation(),
                factory.get(),
                reports::add,
                executor,
                values,
                clock,
                "test-kit",
                Duration.ofDays(1),
                override)
            .execute();
        StepRecord last = null;
        Object outcome = null;
        for (WorkerReport report : reports) {
          for (StepRecord reported : report.getSteps()) {
            // As the orchestrator records it: with the wake time the worker left to it.
            StepRecord step = WakeTimes.complete(reported, clock.millis());
            history.put(step.getPosition(), step);
            last = step;
          }
          if (report.getOutcome() != null) {
            outcome = report.getOutcome();
          }
        }
        if (outcome instanceof RunCompleted completed) {
          status = Status.COMPLETE;
          outputJson = completed.getOutput();
          return;
        }
        if (outcome instanceof RunFailed failed) {
          status = Status.ERRORED;
          error = failed.getError();
          return;
        }
        if (last == null) {
          throw new IllegalStateException("the workflow stopped without recording anything");
        }
        StepRecord earliest = earliestTimedWait(reports);
        if (earliest != null) {
          last = earliest; // parallel branches: the engine wakes for the earliest wait first
        }
        if (!resolve(last)) {
          status = Status.WAITING;
          waiting = last;
          return;
        }
      }
    }
  }

  private StepRecord earliestTimedWait(List<WorkerReport> reports) {
    StepRecord earliest = null;
    for (WorkerReport report : reports) {
      for (StepRecord reported : report.getSteps()) {
        StepRecord step = history.get(reported.getPosition());
        boolean timed =
            step.getStatus() == StepStatus.RETRY_WAIT || step.getStatus() == StepStatus.SLEEPING;
        if (timed && (earliest == null || step.getWakeAt() < earliest.getWakeAt())) {
          earliest = step;
        }
      }
    }
    return earliest;
  }

  /** Moves past a step the run stopped at; false when it waits for an event nobody sent. */
  private boolean resolve(StepRecord last) {
    switch (last.getStatus()) {
      case SLEEPING -> {
        clock.advanceTo(last.getWakeAt());
        history.put(
            last.getPosition(),
            StepRecord.newBuilder(last)
                .setStatus(StepStatus.SLEPT)
                .setEndedAt(clock.millis())
                .build());
        return true;
      }
      case RETRY_WAIT -> {
        clock.advanceTo(last.getWakeAt());
        return true;
      }
      case WAITING -> {
        if (forcedTimeouts.contains(last.getName())) {
          timeOut(last);
          return true;
        }
        Deque<String> queued = events.get(last.getEventType());
        if (queued == null || queued.isEmpty()) {
          return false;
        }
        receive(last, queued.poll());
        return true;
      }
      default -> {
        return true;
      }
    }
  }

  /**
   * Sends an event. If the instance waits for this type it receives it and runs on; otherwise the
   * event is kept for a later wait, as the engine does.
   */
  public WorkflowRun sendEvent(String type, Object payload) {
    keep(type, payload);
    if (status == Status.WAITING && type.equals(waiting.getEventType())) {
      receive(waiting, events.get(type).poll());
      continueRun();
    }
    return this;
  }

  void keep(String type, Object payload) {
    events.computeIfAbsent(type, t -> new ArrayDeque<>()).add(encode(payload));
  }

  /** Lets the wait the instance is in time out (the workflow sees WorkflowTimeoutError). */
  public WorkflowRun timeOutWait() {
    if (status != Status.WAITING) {
      throw new IllegalStateException("the instance is " + status + ", not waiting for an event");
    }
    timeOut(waiting);
    continueRun();
    return this;
  }

  private void continueRun() {
    status = null;
    waiting = null;
    drive();
  }

  private void receive(StepRecord wait, String payload) {
    history.put(
        wait.getPosition(),
        StepRecord.newBuilder(wait)
            .setStatus(StepStatus.RECEIVED)
            .setOutput(payload)
            .setEventTimestamp(clock.millis())
            .setEndedAt(clock.millis())
            .build());
  }

  private void timeOut(StepRecord wait) {
    clock.advanceTo(wait.getWakeAt());
    history.put(
        wait.getPosition(),
        StepRecord.newBuilder(wait)
            .setStatus(StepStatus.TIMED_OUT)
            .setEndedAt(clock.millis())
            .setError(
                new ErrorInfo(dev.ferry.schemas.ErrorNames.TIMEOUT, WakeTimes.timeoutMessage(wait)))
            .build());
  }

  private Activation activation() {
    return Activation.newBuilder()
        .setAccount("test")
        .setWorkflow("test")
        .setInstanceId("test-instance")
        .setToken(activations)
        .setParams(params)
        .setCreatedAt(created.toEpochMilli())
        .setHistory(List.copyOf(history.values()))
        .build();
  }

  public Status status() {
    return status;
  }

  /** The output decoded as {@code type}; fails unless the instance completed. */
  public <T> T output(Class<T> type) {
    if (status != Status.COMPLETE) {
      throw new IllegalStateException(
          "the instance is " + status + (error == null ? "" : ": " + error));
    }
    try {
      return values.mapper().readValue(outputJson, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("output " + outputJson + " does not fit " + type, e);
    }
  }

  public String outputJson() {
    return outputJson;
  }

  /** Name of the error that ended the instance, or null. */
  public String errorName() {
    return error == null ? null : error.getName();
  }

  public String errorMessage() {
    return error == null ? null : error.getMessage();
  }

  /** Virtual time from creation to now: what sleeps, retry delays and timeouts took. */
  public Duration elapsed() {
    return Duration.ofMillis(clock.millis() - created.toEpochMilli());
  }

  /** Activations it took (1 + one per wake-up). */
  public int activations() {
    return activations;
  }

  public List<Step> steps() {
    List<Step> out = new ArrayList<>();
    for (StepRecord step : history.values()) {
      out.add(
          new Step(
              dev.ferry.schemas.StepKinds.name(step.getKind()),
              step.getName(),
              step.getCount(),
              step.getStatus().name().toLowerCase(java.util.Locale.ROOT),
              step.getAttempts().size(),
              step.getOutput(),
              step.getError() == null
                  ? null
                  : step.getError().getName() + ": " + step.getError().getMessage()));
    }
    return out;
  }

  private String encode(Object value) {
    try {
      return values.encode(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode " + value + " as JSON", e);
    }
  }
}
