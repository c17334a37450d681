package dev.ferry.workflows.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ferry.engine.Input;
import dev.ferry.schemas.Limits;
import dev.ferry.schemas.avro.Activation;
import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.avro.CommandReply;
import dev.ferry.schemas.avro.CreateInstance;
import dev.ferry.schemas.avro.ErrorInfo;
import dev.ferry.schemas.avro.InstanceEvent;
import dev.ferry.schemas.avro.InstanceState;
import dev.ferry.schemas.avro.InstanceStatusCode;
import dev.ferry.schemas.avro.PauseInstance;
import dev.ferry.schemas.avro.ReplyOutcome;
import dev.ferry.schemas.avro.RestartInstance;
import dev.ferry.schemas.avro.ResumeInstance;
import dev.ferry.schemas.avro.StepKind;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.TerminateInstance;
import dev.ferry.schemas.avro.Timer;
import dev.ferry.schemas.avro.TimerKind;
import dev.ferry.schemas.avro.TriggerSource;
import dev.ferry.schemas.avro.WorkerReport;
import dev.ferry.worker.internal.ActivationRun;
import dev.ferry.worker.internal.StepExecutor;
import dev.ferry.worker.internal.StepOverride;
import dev.ferry.worker.internal.StepValues;
import dev.ferry.worker.internal.WorkerMetrics;
import dev.ferry.workflows.WorkflowEntrypoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * One in-memory instance started by {@link WorkflowTester}: its status, output, error and steps,
 * and the means to send it events and control it. The engine's own state machine decides every
 * transition, as the orchestrator does; time is virtual, so sleeps and retry delays pass at once.
 *
 * <pre>{@code
 * WorkflowRun run = WorkflowTester.of(SleepyWorkflow::new).start(new Params("Ada", 3));
 * assertThat(run.output(String.class)).isEqualTo("Hello, Ada! (slept 3 s)");
 * assertThat(run.elapsed()).isEqualTo(Duration.ofSeconds(3)); // virtual time, instant in reality
 * }</pre>
 */
public final class WorkflowRun {
  /** Where the instance stands once the test kit has run it as far as it goes. */
  public enum Status {
    COMPLETE,
    ERRORED,
    TERMINATED,
    /** Paused ({@link #pause}); {@link #resume} goes on. */
    PAUSED,
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
  private final StepValues values = new StepValues();
  private final MemoryInstance instance = new MemoryInstance();
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
    CreateInstance create =
        CreateInstance.newBuilder()
            .setParams(encode(params))
            .setTriggerSource(TriggerSource.API)
            .build();
    instance.apply(new Input.CommandIn(command(create)), clock.millis());
    expectOk("create");
  }

  /**
   * Plays the workers and the clock: runs every activation the machine calls for and fires the
   * timer the instance waits on, until it finishes, pauses or waits for an event nobody sent.
   */
  void drive() {
    try (StepExecutor executor = new StepExecutor()) {
      while (true) {
        if (instance.takeActivation()) {
          runActivation(executor);
          continue;
        }
        Optional<Timer> timer = instance.waitTimer();
        InstanceState state = instance.state();
        if (timer.isEmpty() || state.getStatus() != InstanceStatusCode.WAITING) {
          return;
        }
        StepRecord waitingOn = instance.step(MemoryInstance.KEY, state.getWaitingFor());
        if (timer.get().getKind() == TimerKind.WAIT_TIMEOUT
            && !forcedTimeouts.contains(waitingOn.getName())) {
          return; // waits for an event: sendEvent or timeOutWait
        }
        clock.advanceTo(timer.get().getDueAt());
        instance.fire(timer.get(), clock.millis());
      }
    }
  }

  private void runActivation(StepExecutor executor) {
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
            override,
            WorkerMetrics.none())
        .execute();
    List<WorkerReport> arrived = WorkerLoss.arrived(reports);
    for (WorkerReport report : arrived) {
      instance.apply(new Input.ReportIn(report), clock.millis());
    }
    if (arrived != reports) {
      instance.expireLease(clock);
    }
  }

  private Activation activation() {
    InstanceState state = instance.state();
    return Activation.newBuilder()
        .setAccount(MemoryInstance.ACCOUNT)
        .setWorkflow(MemoryInstance.WORKFLOW)
        .setInstanceId(MemoryInstance.INSTANCE_ID)
        .setToken(state.getToken())
        .setGeneration(state.getGeneration())
        .setParams(instance.params())
        .setCreatedAt(state.getQueuedAt())
        .setMaxSteps(state.getMaxSteps() == null ? Limits.DEFAULT_MAX_STEPS : state.getMaxSteps())
        .setRollback(state.getStatus() == InstanceStatusCode.ROLLING_BACK)
        .setHistory(instance.entries())
        .build();
  }

  /**
   * Sends an event. If the instance waits for this type it receives it and runs on; otherwise the
   * event is kept for a later wait, as the engine does. Refused for a finished instance.
   */
  public WorkflowRun sendEvent(String type, Object payload) {
    keep(type, payload);
    drive();
    return this;
  }

  /** Sends the event without running on (events sent before the first activation). */
  void keep(String type, Object payload) {
    InstanceEvent event =
        InstanceEvent.newBuilder()
            .setEventId(UUID.randomUUID().toString())
            .setAccount(MemoryInstance.ACCOUNT)
            .setWorkflow(MemoryInstance.WORKFLOW)
            .setInstanceId(MemoryInstance.INSTANCE_ID)
            .setType(type)
            .setPayload(encode(payload))
            .setSentAt(clock.millis())
            .setRequestId("event-" + type)
            .build();
    instance.apply(new Input.EventIn(event), clock.millis());
    expectOk("send event " + type);
  }

  /** Lets the wait the instance is in time out (the workflow sees WorkflowTimeoutError). */
  public WorkflowRun timeOutWait() {
    Optional<Timer> timer = instance.waitTimer();
    if (timer.isEmpty() || timer.get().getKind() != TimerKind.WAIT_TIMEOUT) {
      throw new IllegalStateException("the instance is " + status() + ", not waiting for an event");
    }
    clock.advanceTo(timer.get().getDueAt());
    instance.fire(timer.get(), clock.millis());
    drive();
    return this;
  }

  /** Pauses the instance; a wait in progress keeps the time it has left. */
  public WorkflowRun pause() {
    return control(new PauseInstance(null, true), "pause");
  }

  /** Resumes a paused instance. */
  public WorkflowRun resume() {
    return control(new ResumeInstance(null, true), "resume");
  }

  /** Terminates the instance. */
  public WorkflowRun terminate() {
    return control(new TerminateInstance(false), "terminate");
  }

  /** Terminates the instance after running the rollback handlers of its finished steps. */
  public WorkflowRun terminateWithRollback() {
    return control(new TerminateInstance(true), "terminate with rollback");
  }

  /** Runs the instance again from the top, with the same params and its history erased. */
  public WorkflowRun restart() {
    return control(new RestartInstance(null, null, null, true), "restart");
  }

  /**
   * Runs the instance again from the step {@code name} (its {@code count}th call), keeping the
   * steps before it.
   */
  public WorkflowRun restartFrom(String name, int count) {
    return control(new RestartInstance(name, count, StepKind.DO, true), "restart");
  }

  private WorkflowRun control(Object action, String what) {
    instance.apply(new Input.CommandIn(command(action)), clock.millis());
    expectOk(what);
    drive();
    return this;
  }

  private Command command(Object action) {
    return Command.newBuilder()
        .setRequestId(UUID.randomUUID().toString())
        .setAccount(MemoryInstance.ACCOUNT)
        .setWorkflow(MemoryInstance.WORKFLOW)
        .setInstanceId(MemoryInstance.INSTANCE_ID)
        .setIssuedAt(clock.millis())
        .setAction(action)
        .build();
  }

  /** Throws when the machine refused what was just asked (e.g. resume of a finished instance). */
  private void expectOk(String what) {
    CommandReply reply = instance.reply();
    if (reply != null && reply.getOutcome() != ReplyOutcome.OK) {
      throw new IllegalStateException(
          what + " refused (" + reply.getOutcome() + "): " + reply.getMessage());
    }
  }

  public Status status() {
    InstanceStatusCode code = instance.state().getStatus();
    return switch (code) {
      case COMPLETE -> Status.COMPLETE;
      case ERRORED -> Status.ERRORED;
      case TERMINATED -> Status.TERMINATED;
      case PAUSED -> Status.PAUSED;
      case WAITING -> Status.WAITING;
      default -> throw new IllegalStateException("the test kit stopped at status " + code);
    };
  }

  /** The output decoded as {@code type}; fails unless the instance completed. */
  public <T> T output(Class<T> type) {
    if (status() != Status.COMPLETE) {
      throw new IllegalStateException(
          "the instance is " + status() + (error() == null ? "" : ": " + error()));
    }
    try {
      return values.mapper().readValue(outputJson(), type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("output " + outputJson() + " does not fit " + type, e);
    }
  }

  public String outputJson() {
    return instance.state().getOutput();
  }

  private ErrorInfo error() {
    return instance.state().getError();
  }

  /** Name of the error that ended the instance, or null. */
  public String errorName() {
    return error() == null ? null : error().getName();
  }

  public String errorMessage() {
    return error() == null ? null : error().getMessage();
  }

  /** Virtual time from creation to now: what sleeps, retry delays and timeouts took. */
  public Duration elapsed() {
    return Duration.ofMillis(clock.millis() - created.toEpochMilli());
  }

  /** Activations it took (1 + one per wake-up, resume or restart). */
  public int activations() {
    return activations;
  }

  public List<Step> steps() {
    List<Step> out = new ArrayList<>();
    for (StepRecord step : instance.entries()) {
      out.add(
          new Step(
              dev.ferry.schemas.StepKinds.name(step.getKind()),
              step.getName(),
              step.getCount(),
              step.getStatus().name().toLowerCase(Locale.ROOT),
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
