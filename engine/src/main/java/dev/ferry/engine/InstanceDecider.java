package dev.ferry.engine;

import dev.ferry.schemas.ApiStatus;
import dev.ferry.schemas.ErrorNames;
import dev.ferry.schemas.InstanceKey;
import dev.ferry.schemas.Json;
import dev.ferry.schemas.Limits;
import dev.ferry.schemas.Names;
import dev.ferry.schemas.WakeTimes;
import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.avro.CommandReply;
import dev.ferry.schemas.avro.ControlAction;
import dev.ferry.schemas.avro.CreateInstance;
import dev.ferry.schemas.avro.ErrorInfo;
import dev.ferry.schemas.avro.HistoryEventType;
import dev.ferry.schemas.avro.HistoryMissing;
import dev.ferry.schemas.avro.InstanceState;
import dev.ferry.schemas.avro.InstanceStatusCode;
import dev.ferry.schemas.avro.NotHosted;
import dev.ferry.schemas.avro.ReplyOutcome;
import dev.ferry.schemas.avro.RolledBack;
import dev.ferry.schemas.avro.RunCompleted;
import dev.ferry.schemas.avro.RunFailed;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.StepStatus;
import dev.ferry.schemas.avro.TimerKind;
import dev.ferry.schemas.avro.WorkerReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Creates, worker reports, starts after waiting (admission) and internal errors, as pure functions
 * {@code (state, input, now) -> decision}; controls, events and timers have deciders of their own,
 * and {@link InstanceMachine} puts them together with the admission and routing rules.
 */
public final class InstanceDecider {

  /**
   * How soon an activation a worker handed back (it does not host the workflow) is routed again;
   * not at once, so a group whose members host different builds is not flooded.
   */
  static final long REROUTE_DELAY_MS = 1_000;

  /** Refused duplicate creates recorded in an instance's history; later ones are only answered. */
  static final int MAX_RECORDED_DUPLICATES = 10;

  private final DeciderSettings settings;

  public InstanceDecider(DeciderSettings settings) {
    this.settings = settings;
  }

  /**
   * A create. {@code workflowExists} is false when the sender did not check the workflow and the
   * catalogue does not know it: then, as over HTTP, the create is refused.
   */
  public Decision create(
      InstanceState existing,
      Command command,
      CreateInstance create,
      boolean workflowExists,
      long now) {
    Optional<String> badName =
        Names.checkKey(command.getAccount(), command.getWorkflow(), command.getInstanceId());
    if (badName.isPresent()) {
      return Decision.refused(reply(command, ReplyOutcome.INVALID, badName.get(), null));
    }
    if (!workflowExists) {
      return Decision.refused(
          reply(
              command,
              ReplyOutcome.NOT_FOUND,
              "workflow '"
                  + command.getWorkflow()
                  + "' not found in account '"
                  + command.getAccount()
                  + "'",
              null));
    }
    if (existing != null) {
      CommandReply refused =
          reply(
              command,
              ReplyOutcome.ALREADY_EXISTS,
              "instance '"
                  + command.getInstanceId()
                  + "' already exists in workflow '"
                  + command.getWorkflow()
                  + "'",
              existing.getStatus());
      if (existing.getExpired()) {
        return Decision.replyOnly(refused); // its history is gone; the id just stays reserved
      }
      // The same create produced twice (a retry, a replayed topic) must never start a second run;
      // it shows in the history so whoever produced it can see what became of it. Only the first
      // few do, so a producer repeating it cannot grow the history without bound.
      if (existing.getDuplicateCreates() >= MAX_RECORDED_DUPLICATES) {
        return Decision.replyOnly(refused);
      }
      Changes changes = new Changes(InstanceState.newBuilder(existing).build(), settings);
      changes.state.setDuplicateCreates(existing.getDuplicateCreates() + 1);
      changes.event(
          HistoryEventType.WORKFLOW_DUPLICATE_CREATE,
          now,
          null,
          new ErrorInfo(
              ErrorNames.ALREADY_EXISTS,
              "create request " + command.getRequestId() + " refused: " + refused.getMessage()));
      changes.snapshot = true;
      changes.reply = refused;
      return changes.decision();
    }
    String params = create.getParams() == null ? "{}" : create.getParams();
    try {
      Json.parse(params);
    } catch (IllegalArgumentException e) {
      return Decision.refused(
          reply(command, ReplyOutcome.INVALID, "params: " + e.getMessage(), null));
    }
    Optional<String> badSetting = checkSettings(create);
    if (badSetting.isPresent()) {
      return Decision.refused(reply(command, ReplyOutcome.INVALID, badSetting.get(), null));
    }
    if (!Limits.fitsPayload(params)) {
      return Decision.refused(
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
            .setVersionId(create.getVersionId())
            .setMaxSteps(create.getMaxSteps())
            .build();
    Changes changes = new Changes(state, settings);
    changes.event(HistoryEventType.WORKFLOW_QUEUED, now, null, null);
    changes.event(HistoryEventType.WORKFLOW_START, now, null, null);
    changes.activate(now);
    changes.snapshot = true;
    changes.params = params;
    changes.reply = reply(command, ReplyOutcome.OK, null, InstanceStatusCode.RUNNING);
    return changes.decision();
  }

  public Decision report(InstanceState current, WorkerReport report, long now) {
    return report(current, report, Map.of(), now);
  }

  /**
   * A worker's report. {@code buffered} holds, per event type the report starts waiting for, the
   * oldest event already kept for it (the processor looks them up).
   */
  public Decision report(
      InstanceState current, WorkerReport report, Map<String, BufferedEvent> buffered, long now) {
    if (current == null
        || report.getToken() != current.getToken()
        || !Changes.isActive(current.getStatus())) {
      return Decision.none(); // stale: a newer activation, or the instance moved on
    }
    Changes changes = new Changes(InstanceState.newBuilder(current).build(), settings);
    InstanceState state = changes.state;
    state.setLeaseExpiresAt(now + settings.leaseMs());
    String version = report.getVersionId();
    if (version != null && !state.getVersionsRun().contains(version)) {
      List<String> versions = new ArrayList<>(state.getVersionsRun());
      versions.add(version);
      state.setVersionsRun(versions);
      changes.snapshot = true;
    }
    List<StepRecord> waits = new ArrayList<>();
    for (StepRecord step : report.getSteps()) {
      if (!step(changes, step, buffered, waits, now)) {
        return changes.decision(); // the rest would corrupt the history; the lease recovers
      }
    }
    // Parallel steps may report several retries or sleeps: wait for the earliest; the others
    // report themselves again from the next activation.
    waits.stream()
        .filter(w -> Changes.isActive(state.getStatus()))
        .min(java.util.Comparator.comparingLong(StepRecord::getWakeAt))
        .ifPresent(
            w ->
                changes.waitFor(
                    w.getStatus() == StepStatus.SLEEPING ? TimerKind.SLEEP : TimerKind.RETRY,
                    w,
                    now));
    StepRecord running = report.getInFlight();
    if (running != null && Changes.isActive(state.getStatus())) {
      if (!sameAttempt(state.getInFlight(), running)) {
        // Makes a long attempt visible while it runs; the step's outcome replaces it later.
        changes.event(HistoryEventType.ATTEMPT_START, now, running, null);
      }
      state.setInFlight(running);
    }
    Object outcome = report.getOutcome();
    if (outcome instanceof RunCompleted completed) {
      changes.finish(InstanceStatusCode.COMPLETE, now);
      state.setOutput(completed.getOutput());
      changes.event(HistoryEventType.WORKFLOW_SUCCESS, now, null, null);
    } else if (outcome instanceof RunFailed failed) {
      changes.finish(InstanceStatusCode.ERRORED, now);
      state.setError(failed.getError());
      state.setRollback(failed.getRollback());
      changes.event(HistoryEventType.WORKFLOW_FAILURE, now, null, failed.getError());
    } else if (outcome instanceof RolledBack rolledBack) {
      changes.finish(InstanceStatusCode.TERMINATED, now);
      state.setRollback(rolledBack.getRollback());
      changes.event(HistoryEventType.WORKFLOW_TERMINATED, now, null, null);
    } else if (outcome instanceof NotHosted) {
      // A routing mistake, never a failure: the lease timer routes it again, choosing afresh.
      long due = now + REROUTE_DELAY_MS;
      state.setTaskGroup(null);
      state.setInFlight(null);
      state.setLeaseExpiresAt(due);
      state.setLeaseTimerDue(due);
      changes.timers.add(Changes.timerFor(state, TimerKind.LEASE, due, null));
    } else if (outcome instanceof HistoryMissing) {
      // The worker cannot build on what it kept (restarted, evicted it, missed a page): send it
      // everything in a new activation.
      state.setActivatedToken(0);
      state.setInFlight(null);
      changes.continueOrPause(now);
    } else if (report.getStopped() && Changes.isActive(state.getStatus())) {
      // The run obeyed a pause; if the pause was cancelled meanwhile, start it again.
      if (state.getStatus() == InstanceStatusCode.WAITING_FOR_PAUSE) {
        changes.pause(now);
      } else {
        changes.activate(now);
      }
    }
    return changes.decision();
  }

  /** Applies one reported step change; false if it cannot be applied (gap, or after a wait). */
  private boolean step(
      Changes changes,
      StepRecord step,
      Map<String, BufferedEvent> buffered,
      List<StepRecord> waits,
      long now) {
    InstanceState state = changes.state;
    boolean reportable =
        switch (step.getStatus()) {
          case SUCCEEDED, FAILED, RETRY_WAIT, SLEEPING, WAITING -> true;
          default -> false;
        };
    if (!reportable || !Changes.isActive(state.getStatus()) || step.getPosition() < 0) {
      return false;
    }
    StepRecord reported = step;
    step = WakeTimes.complete(reported, now);
    if (step == reported) {
      changes.recordReported(step);
    } else {
      changes.record(step); // with the wake time set here, which the worker's view lacks
    }
    state.setInFlight(null);
    switch (step.getStatus()) {
      case SUCCEEDED -> changes.event(HistoryEventType.STEP_SUCCESS, now, step, null);
      case FAILED -> changes.event(HistoryEventType.STEP_FAILURE, now, step, step.getError());
      case RETRY_WAIT -> {
        changes.event(HistoryEventType.ATTEMPT_FAILURE, now, step, step.getError());
        waits.add(step);
      }
      case SLEEPING -> {
        changes.event(HistoryEventType.SLEEP_START, now, step, null);
        waits.add(step);
      }
      case WAITING -> {
        changes.event(HistoryEventType.WAIT_START, now, step, null);
        BufferedEvent early = buffered.get(step.getEventType());
        if (early != null) {
          // Sent before the wait: deliver it now and run on in a new activation.
          changes.consumedEvents.add(early.key());
          EventDecider.deliver(changes, step, early.event(), now);
          changes.continueOrPause(now);
        } else {
          changes.waitFor(TimerKind.WAIT_TIMEOUT, step, now);
        }
      }
      default -> throw new IllegalStateException("unreachable: " + step.getStatus());
    }
    return true;
  }

  /**
   * Processing an input for this instance threw (a bug in a decision, a corrupt stored value):
   * rather than the partition stopping or replaying the input forever, the instance ends errored
   * with {@code WorkflowInternalError}. {@code current} is null when the stored state could not be
   * read; the instance is then rebuilt from its key. Finished instances stay as they are.
   */
  public Decision internalError(InstanceState current, String key, String message, long now) {
    InstanceState base = current;
    if (base == null) {
      InstanceKey parsed = InstanceKey.parse(key);
      base =
          InstanceState.newBuilder()
              .setAccount(parsed.account())
              .setWorkflow(parsed.workflow())
              .setInstanceId(parsed.instanceId())
              .setStatus(InstanceStatusCode.RUNNING)
              .setQueuedAt(now)
              // Tokens count activations from 1; the clock is above any of them, so whatever the
              // lost state had issued is stale against it.
              .setToken(now)
              .build();
    } else if (base.getExpired() || ApiStatus.isTerminal(base.getStatus())) {
      return Decision.none();
    }
    Changes changes = new Changes(InstanceState.newBuilder(base).build(), settings);
    InstanceState state = changes.state;
    ErrorInfo error = new ErrorInfo(ErrorNames.INTERNAL, message);
    if (Changes.isActive(state.getStatus())) {
      changes.control(ControlAction.TERMINATE, state.getToken());
    }
    state.setToken(state.getToken() + 1); // what the running activation still reports is stale
    state.setPausedAt(null);
    changes.finish(InstanceStatusCode.ERRORED, now);
    state.setError(error);
    changes.event(HistoryEventType.WORKFLOW_FAILURE, now, null, error);
    return changes.decision();
  }

  /**
   * A queued instance got a slot, or a worker group that hosts it: it starts (or goes on) in a new
   * activation. A rollback that waited for a worker goes on rolling back.
   */
  public Decision admit(InstanceState current, long now) {
    if (current == null || current.getExpired()) {
      return Decision.none();
    }
    boolean rollback =
        current.getStatus() == InstanceStatusCode.ROLLING_BACK
            && current.getWaitingForWorker() != null;
    if (current.getStatus() != InstanceStatusCode.QUEUED && !rollback) {
      return Decision.none(); // terminated or deleted while it waited
    }
    Changes changes = new Changes(InstanceState.newBuilder(current).build(), settings);
    InstanceState state = changes.state;
    state.setWaitingForWorker(null);
    if (!rollback) {
      state.setStatus(InstanceStatusCode.RUNNING);
    }
    if (state.getStartedAt() == null) {
      state.setStartedAt(now);
      changes.event(HistoryEventType.WORKFLOW_START, now, null, null);
    }
    changes.snapshot = true;
    changes.activate(now);
    return changes.decision();
  }

  /**
   * The rules the HTTP API applies to a create's settings, applied here to every create, so a Kafka
   * producer cannot set what the API would refuse.
   */
  private static Optional<String> checkSettings(CreateInstance create) {
    if (create.getSuccessRetentionMs() != null && create.getSuccessRetentionMs() < 0) {
      return Optional.of("successRetentionMs must not be negative");
    }
    if (create.getErrorRetentionMs() != null && create.getErrorRetentionMs() < 0) {
      return Optional.of("errorRetentionMs must not be negative");
    }
    Integer steps = create.getMaxSteps();
    if (steps != null && (steps < 1 || steps > Limits.MAX_STEP_LIMIT)) {
      return Optional.of("maxSteps must be 1.." + Limits.MAX_STEP_LIMIT + ", got " + steps);
    }
    return Optional.empty();
  }

  private static boolean sameAttempt(StepRecord known, StepRecord reported) {
    return known != null
        && known.getPosition() == reported.getPosition()
        && known.getAttempts().size() == reported.getAttempts().size();
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

  /** For logs: "running", "waitingForPause", ... */
  static String statusName(InstanceStatusCode code) {
    return ApiStatus.name(code);
  }
}
