package dev.ferry.orchestrator.internal;

import dev.ferry.schemas.ApiStatus;
import dev.ferry.schemas.Json;
import dev.ferry.schemas.Names;
import dev.ferry.schemas.avro.Attempt;
import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.avro.CommandReply;
import dev.ferry.schemas.avro.CreateInstance;
import dev.ferry.schemas.avro.ErrorInfo;
import dev.ferry.schemas.avro.HistoryEvent;
import dev.ferry.schemas.avro.HistoryEventType;
import dev.ferry.schemas.avro.InstanceState;
import dev.ferry.schemas.avro.InstanceStatusCode;
import dev.ferry.schemas.avro.ReplyOutcome;
import dev.ferry.schemas.avro.RunCompleted;
import dev.ferry.schemas.avro.RunFailed;
import dev.ferry.schemas.avro.StepKind;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.StepStatus;
import dev.ferry.schemas.avro.Timer;
import dev.ferry.schemas.avro.TimerKind;
import dev.ferry.schemas.avro.WorkerReport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The instance state machine as a pure function: {@code (state, input, now) -> decision}. It never
 * touches Kafka or a clock, so every transition is unit-tested directly.
 */
public final class InstanceDecider {
  /** Params and event payloads are JSON of at most 1 MiB. */
  public static final int MAX_PAYLOAD_BYTES = 1024 * 1024;

  static final String LOST_ATTEMPT = "Attempt failed due to internal workflows error";

  private final long leaseMs;

  public InstanceDecider(long leaseMs) {
    this.leaseMs = leaseMs;
  }

  /** A command other than create is not handled by this version; it is answered, not dropped. */
  public Decision unsupported(Command command) {
    String action = command.getAction().getClass().getSimpleName();
    return Decision.replyOnly(
        reply(command, ReplyOutcome.INVALID, action + " is not supported yet", null));
  }

  public Decision create(InstanceState existing, Command command, CreateInstance create, long now) {
    Optional<String> badName =
        Names.checkKey(command.getAccount(), command.getWorkflow(), command.getInstanceId());
    if (badName.isPresent()) {
      return Decision.replyOnly(reply(command, ReplyOutcome.INVALID, badName.get(), null));
    }
    if (existing != null) {
      return Decision.replyOnly(
          reply(
              command,
              ReplyOutcome.ALREADY_EXISTS,
              "instance '"
                  + command.getInstanceId()
                  + "' already exists in workflow '"
                  + command.getWorkflow()
                  + "'",
              existing.getStatus()));
    }
    String params = create.getParams() == null ? "{}" : create.getParams();
    try {
      Json.parse(params);
    } catch (IllegalArgumentException e) {
      return Decision.replyOnly(
          reply(command, ReplyOutcome.INVALID, "params: " + e.getMessage(), null));
    }
    if (params.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
      return Decision.replyOnly(
          reply(command, ReplyOutcome.INVALID, "params must be at most 1 MiB of JSON", null));
    }
    InstanceState state =
        InstanceState.newBuilder()
            .setAccount(command.getAccount())
            .setWorkflow(command.getWorkflow())
            .setInstanceId(command.getInstanceId())
            .setStatus(InstanceStatusCode.RUNNING)
            .setTriggerSource(create.getTriggerSource())
            .setSchedule(create.getSchedule())
            .setQueuedAt(now)
            .setStartedAt(now)
            .setSuccessRetentionMs(create.getSuccessRetentionMs())
            .setErrorRetentionMs(create.getErrorRetentionMs())
            .build();
    Changes changes = new Changes(state);
    changes.event(HistoryEventType.WORKFLOW_QUEUED, now, null, null);
    changes.event(HistoryEventType.WORKFLOW_START, now, null, null);
    changes.activate(now);
    changes.snapshot = true;
    changes.params = params;
    changes.reply = reply(command, ReplyOutcome.OK, null, InstanceStatusCode.RUNNING);
    return changes.decision();
  }

  public Decision report(InstanceState current, WorkerReport report, long now) {
    if (current == null
        || report.getToken() != current.getToken()
        || current.getStatus() != InstanceStatusCode.RUNNING) {
      return Decision.none(); // stale: a newer activation, or the instance moved on
    }
    Changes changes = new Changes(InstanceState.newBuilder(current).build());
    InstanceState state = changes.state;
    state.setLeaseExpiresAt(now + leaseMs);
    for (StepRecord step : report.getSteps()) {
      if (!step(changes, step, now)) {
        return changes.decision(); // the rest would corrupt the history; the lease recovers
      }
    }
    StepRecord running = report.getInFlight();
    if (running != null && state.getStatus() == InstanceStatusCode.RUNNING) {
      if (!sameAttempt(state.getInFlight(), running)) {
        // Makes a long attempt visible while it runs; the step's outcome replaces it later.
        changes.event(HistoryEventType.ATTEMPT_START, now, running, null);
      }
      state.setInFlight(running);
    }
    Object outcome = report.getOutcome();
    if (outcome instanceof RunCompleted completed) {
      finish(changes, InstanceStatusCode.COMPLETE, now);
      state.setOutput(completed.getOutput());
      changes.event(HistoryEventType.WORKFLOW_SUCCESS, now, null, null);
    } else if (outcome instanceof RunFailed failed) {
      finish(changes, InstanceStatusCode.ERRORED, now);
      state.setError(failed.getError());
      changes.event(HistoryEventType.WORKFLOW_FAILURE, now, null, failed.getError());
    }
    return changes.decision();
  }

  /** Applies one reported step change; false if it cannot be applied (gap, or after a wait). */
  private boolean step(Changes changes, StepRecord step, long now) {
    InstanceState state = changes.state;
    boolean reportable =
        switch (step.getStatus()) {
          case SUCCEEDED, FAILED, RETRY_WAIT, SLEEPING -> true;
          default -> false;
        };
    if (!reportable
        || state.getStatus() != InstanceStatusCode.RUNNING
        || step.getPosition() < 0
        || step.getPosition() > state.getHistorySize()) {
      return false;
    }
    changes.record(step);
    state.setInFlight(null);
    switch (step.getStatus()) {
      case SUCCEEDED -> changes.event(HistoryEventType.STEP_SUCCESS, now, step, null);
      case FAILED -> changes.event(HistoryEventType.STEP_FAILURE, now, step, step.getError());
      case RETRY_WAIT -> {
        changes.event(HistoryEventType.ATTEMPT_FAILURE, now, step, step.getError());
        waitFor(changes, TimerKind.RETRY, step);
      }
      case SLEEPING -> {
        changes.event(HistoryEventType.SLEEP_START, now, step, null);
        waitFor(changes, TimerKind.SLEEP, step);
      }
      default -> throw new IllegalStateException("unreachable: " + step.getStatus());
    }
    return true;
  }

  /** A timer fired; {@code step} is the history entry at the timer's position, if it has one. */
  public Decision timer(InstanceState current, Timer timer, StepRecord step, long now) {
    if (current == null
        || timer.getToken() != current.getToken()
        || timer.getGeneration() != current.getGeneration()) {
      return Decision.none();
    }
    Changes changes = new Changes(InstanceState.newBuilder(current).build());
    InstanceState state = changes.state;
    switch (timer.getKind()) {
      case LEASE -> {
        if (state.getStatus() != InstanceStatusCode.RUNNING || state.getLeaseExpiresAt() == null) {
          return Decision.none();
        }
        if (state.getLeaseExpiresAt() > now) {
          // Reports extended the lease; move the timer only now, not on every report.
          changes.timers.add(timerFor(state, TimerKind.LEASE, state.getLeaseExpiresAt(), null));
          state.setLeaseTimerDue(state.getLeaseExpiresAt());
          return changes.decision();
        }
        if (state.getInFlight() != null) {
          StepRecord lost = failLostAttempt(state.getInFlight(), now);
          changes.record(lost);
          changes.event(HistoryEventType.ATTEMPT_FAILURE, now, lost, lost.getError());
          state.setInFlight(null);
        }
        changes.activate(now);
      }
      case SLEEP -> {
        if (state.getStatus() != InstanceStatusCode.WAITING
            || step == null
            || step.getStatus() != StepStatus.SLEEPING) {
          return Decision.none();
        }
        StepRecord slept =
            StepRecord.newBuilder(step).setStatus(StepStatus.SLEPT).setEndedAt(now).build();
        changes.steps.add(slept);
        changes.event(HistoryEventType.SLEEP_COMPLETE, now, slept, null);
        wake(changes, now);
      }
      case RETRY -> {
        if (state.getStatus() != InstanceStatusCode.WAITING
            || step == null
            || step.getStatus() != StepStatus.RETRY_WAIT) {
          return Decision.none();
        }
        wake(changes, now);
      }
      default -> {
        return Decision.none();
      }
    }
    return changes.decision();
  }

  private void wake(Changes changes, long now) {
    changes.state.setStatus(InstanceStatusCode.RUNNING);
    changes.snapshot = true;
    changes.activate(now);
  }

  private void waitFor(Changes changes, TimerKind kind, StepRecord step) {
    InstanceState state = changes.state;
    state.setStatus(InstanceStatusCode.WAITING);
    state.setLeaseExpiresAt(null);
    changes.snapshot = true;
    changes.timers.add(timerFor(state, kind, step.getWakeAt(), step.getPosition()));
  }

  private void finish(Changes changes, InstanceStatusCode status, long now) {
    InstanceState state = changes.state;
    state.setStatus(status);
    state.setEndedAt(now);
    state.setLeaseExpiresAt(null);
    state.setInFlight(null);
    changes.snapshot = true;
  }

  private static boolean sameAttempt(StepRecord known, StepRecord reported) {
    return known != null
        && known.getPosition() == reported.getPosition()
        && known.getAttempts().size() == reported.getAttempts().size();
  }

  private static StepRecord failLostAttempt(StepRecord inFlight, long now) {
    List<Attempt> attempts = new ArrayList<>(inFlight.getAttempts());
    ErrorInfo error = new ErrorInfo("WorkflowInternalError", LOST_ATTEMPT);
    if (!attempts.isEmpty()) {
      Attempt last = Attempt.newBuilder(attempts.get(attempts.size() - 1)).build();
      last.setEndedAt(now);
      last.setSuccess(false);
      last.setError(error);
      attempts.set(attempts.size() - 1, last);
    }
    return StepRecord.newBuilder(inFlight)
        .setAttempts(attempts)
        .setStatus(StepStatus.RETRY_WAIT)
        .setError(error)
        .setWakeAt(now)
        .build();
  }

  private static Timer timerFor(InstanceState state, TimerKind kind, long dueAt, Integer position) {
    return Timer.newBuilder()
        .setInstanceKey(
            state.getAccount() + "/" + state.getWorkflow() + "/" + state.getInstanceId())
        .setKind(kind)
        .setDueAt(Math.max(0, dueAt))
        .setToken(state.getToken())
        .setGeneration(state.getGeneration())
        .setPosition(position)
        .build();
  }

  static CommandReply reply(
      Command command, ReplyOutcome outcome, String message, InstanceStatusCode status) {
    return CommandReply.newBuilder()
        .setRequestId(command.getRequestId())
        .setAccount(command.getAccount())
        .setWorkflow(command.getWorkflow())
        .setInstanceId(command.getInstanceId())
        .setOutcome(outcome)
        .setMessage(message)
        .setStatus(status)
        .build();
  }

  /** Collects the parts of a decision while a transition is worked out. */
  private final class Changes {
    final InstanceState state;
    final List<StepRecord> steps = new ArrayList<>();
    final List<Timer> timers = new ArrayList<>();
    final List<HistoryEvent> history = new ArrayList<>();
    boolean activate;
    boolean snapshot;
    String params;
    CommandReply reply;

    Changes(InstanceState state) {
      this.state = state;
    }

    /** Stores a step entry; a new position grows the history (and the step count, for steps). */
    void record(StepRecord step) {
      if (step.getPosition() == state.getHistorySize()) {
        state.setHistorySize(state.getHistorySize() + 1);
        if (step.getKind() == StepKind.DO) {
          state.setStepCount(state.getStepCount() + 1);
        }
      }
      steps.add(step);
    }

    /** A new activation: a new fencing token and a lease covering it. */
    void activate(long now) {
      state.setToken(state.getToken() + 1);
      state.setLeaseExpiresAt(now + leaseMs);
      state.setLeaseTimerDue(now + leaseMs);
      timers.add(timerFor(state, TimerKind.LEASE, now + leaseMs, null));
      activate = true;
    }

    void event(HistoryEventType type, long at, StepRecord step, ErrorInfo error) {
      history.add(
          HistoryEvent.newBuilder()
              .setAccount(state.getAccount())
              .setWorkflow(state.getWorkflow())
              .setInstanceId(state.getInstanceId())
              .setGeneration(state.getGeneration())
              .setType(type)
              .setAt(at)
              .setStep(step)
              .setError(error)
              .build());
    }

    Decision decision() {
      return new Decision(
          state,
          params,
          List.copyOf(steps),
          List.copyOf(timers),
          activate,
          snapshot,
          List.copyOf(history),
          reply);
    }
  }

  /** For logs: "running", "waitingForPause", ... */
  static String statusName(InstanceStatusCode code) {
    return ApiStatus.name(code);
  }
}
