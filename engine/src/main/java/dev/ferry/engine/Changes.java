package dev.ferry.engine;

import dev.ferry.schemas.InstanceKey;
import dev.ferry.schemas.avro.CommandReply;
import dev.ferry.schemas.avro.Control;
import dev.ferry.schemas.avro.ControlAction;
import dev.ferry.schemas.avro.ErrorInfo;
import dev.ferry.schemas.avro.HistoryEvent;
import dev.ferry.schemas.avro.HistoryEventType;
import dev.ferry.schemas.avro.InstanceEvent;
import dev.ferry.schemas.avro.InstanceState;
import dev.ferry.schemas.avro.InstanceStatusCode;
import dev.ferry.schemas.avro.StepKind;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.StepStatus;
import dev.ferry.schemas.avro.Timer;
import dev.ferry.schemas.avro.TimerKind;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the parts of a decision while a transition is worked out, and knows the moves every
 * transition is made of (activate, wait, wake, pause, finish). It mutates only its own copy of the
 * state.
 */
final class Changes {
  final InstanceState state;
  private final long leaseMs;
  private final long defaultRetentionMs;
  private final List<StepRecord> steps = new ArrayList<>();
  final List<Timer> timers = new ArrayList<>();
  final List<HistoryEvent> history = new ArrayList<>();
  final List<String> consumedEvents = new ArrayList<>();
  boolean activate;
  boolean snapshot;
  int eraseFrom = -1;
  boolean expire;
  String params;
  CommandReply reply;
  InstanceEvent buffer;
  Effect.SendControl control;

  Changes(InstanceState state, DeciderSettings settings) {
    this.state = state;
    this.leaseMs = settings.leaseMs();
    this.defaultRetentionMs = settings.defaultRetentionMs();
  }

  /** Running, running towards a pause, or rolling back: an activation may be reporting. */
  static boolean isActive(InstanceStatusCode status) {
    return status == InstanceStatusCode.RUNNING
        || status == InstanceStatusCode.WAITING_FOR_PAUSE
        || status == InstanceStatusCode.ROLLING_BACK;
  }

  /**
   * Stores a step entry the orchestrator wrote itself (a sleep ended, an event arrived, an attempt
   * was lost): the worker's kept view lacks it, so the next activation sends it.
   */
  void record(StepRecord step) {
    state.setDeltaFrom(Math.min(state.getDeltaFrom(), step.getPosition()));
    store(step);
  }

  /**
   * Stores a step entry exactly as the worker running the current activation reported it: that
   * worker's kept view has it already.
   */
  void recordReported(StepRecord step) {
    store(step);
  }

  /**
   * Rewrites an existing entry (a sleep ended, a wait timed out or received its event, a wake time
   * moved): like {@link #record}, the next activation sends it.
   */
  void update(StepRecord step) {
    state.setDeltaFrom(Math.min(state.getDeltaFrom(), step.getPosition()));
    steps.add(step);
  }

  /** Deletes the entries from {@code position} on (a restart keeps the steps before it). */
  void eraseFrom(int position) {
    eraseFrom = position;
    state.setDeltaFrom(Math.min(state.getDeltaFrom(), position));
  }

  /** A new position grows the history; a finished step counts as a step. */
  private void store(StepRecord step) {
    if (step.getPosition() >= state.getHistorySize()) {
      // Parallel steps can report a later position first; the gap fills when the other reports.
      state.setHistorySize(step.getPosition() + 1);
    }
    // A step reaches its final outcome exactly once, whatever order parallel steps report in.
    if (step.getKind() == StepKind.DO
        && (step.getStatus() == StepStatus.SUCCEEDED || step.getStatus() == StepStatus.FAILED)) {
      state.setStepCount(state.getStepCount() + 1);
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

  /** The run must go on in a new activation, unless a pause is pending: then it pauses here. */
  void continueOrPause(long now) {
    if (state.getStatus() == InstanceStatusCode.WAITING_FOR_PAUSE) {
      pause(now);
    } else {
      activate(now);
    }
  }

  /** Waits on a step's timer; a pending pause turns the wait into a pause that keeps it. */
  void waitFor(TimerKind kind, StepRecord step, long now) {
    state.setWaitingFor(step.getPosition());
    state.setLeaseExpiresAt(null);
    snapshot = true;
    if (state.getStatus() == InstanceStatusCode.WAITING_FOR_PAUSE) {
      pause(now); // the timer is scheduled on resume, with the time still left
      return;
    }
    state.setStatus(InstanceStatusCode.WAITING);
    timers.add(timerFor(state, kind, step.getWakeAt(), step.getPosition()));
  }

  void wake(long now) {
    state.setWaitingFor(null);
    state.setStatus(InstanceStatusCode.RUNNING);
    snapshot = true;
    activate(now);
  }

  /**
   * Paused: nothing runs and no timer of the current token fires (the token moves on). A wait in
   * progress keeps its step position so resume can restart its timer with the remaining time.
   */
  void pause(long now) {
    event(HistoryEventType.WORKFLOW_PAUSED, now, null, null);
    state.setStatus(InstanceStatusCode.PAUSED);
    state.setPausedAt(now);
    state.setLeaseExpiresAt(null);
    state.setInFlight(null);
    state.setToken(state.getToken() + 1);
    snapshot = true;
  }

  /** A terminal status; the instance is kept for its retention (success or error), then expires. */
  void finish(InstanceStatusCode status, long now) {
    state.setStatus(status);
    state.setEndedAt(now);
    state.setLeaseExpiresAt(null);
    state.setInFlight(null);
    state.setWaitingFor(null);
    state.setWaitingForWorker(null);
    snapshot = true;
    Long chosen =
        status == InstanceStatusCode.COMPLETE
            ? state.getSuccessRetentionMs()
            : state.getErrorRetentionMs();
    long retention = chosen == null ? defaultRetentionMs : chosen;
    long due = retention > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + retention;
    timers.add(timerFor(state, TimerKind.RETENTION, due, null));
  }

  /** Forget everything but the id: state is marked expired, params/steps/events are deleted. */
  void expire() {
    state.setExpired(true);
    state.setWaitingForWorker(null);
    state.setLeaseExpiresAt(null);
    state.setInFlight(null);
    state.setWaitingFor(null);
    state.setOutput(null);
    expire = true;
  }

  /**
   * Tells the worker running activation {@code token} to stop before its next step: sent to the
   * group the activation went to; an instance waiting for a worker has none to stop.
   */
  void control(ControlAction action, long token) {
    control =
        state.getTaskGroup() == null
            ? null
            : new Effect.SendControl(state.getTaskGroup(), new Control(token, action));
  }

  void event(HistoryEventType type, long at, StepRecord step, ErrorInfo error) {
    state.setHistoryEvents(state.getHistoryEvents() + 1);
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

  static Timer timerFor(InstanceState state, TimerKind kind, long dueAt, Integer position) {
    return Timer.newBuilder()
        .setInstanceKey(
            InstanceKey.of(state.getAccount(), state.getWorkflow(), state.getInstanceId())
                .toString())
        .setKind(kind)
        .setDueAt(Math.max(0, dueAt))
        .setToken(state.getToken())
        .setGeneration(state.getGeneration())
        .setPosition(position)
        .build();
  }

  /** The transition collected so far, its effects in the order they are carried out. */
  Decision decision() {
    int bufferedChange = (buffer != null ? 1 : 0) - consumedEvents.size();
    if (bufferedChange != 0) {
      state.setBufferedEvents(Math.max(0, state.getBufferedEvents() + bufferedChange));
    }
    List<Effect> effects = new ArrayList<>();
    if (params != null) {
      effects.add(new Effect.StoreParams(params));
    }
    if (expire) {
      effects.add(new Effect.Expire());
    }
    if (eraseFrom >= 0) {
      effects.add(new Effect.EraseSteps(eraseFrom));
    }
    steps.forEach(step -> effects.add(new Effect.PutStep(step)));
    if (buffer != null) {
      effects.add(new Effect.BufferEvent(buffer));
    }
    consumedEvents.forEach(key -> effects.add(new Effect.ConsumeEvent(key)));
    timers.forEach(timer -> effects.add(new Effect.ScheduleTimer(timer)));
    if (control != null) {
      effects.add(control);
    }
    if (activate) {
      effects.add(new Effect.Activate(null, 0, 0)); // routed by the machine
    }
    history.forEach(event -> effects.add(new Effect.PublishHistory(event)));
    if (expire) {
      effects.add(new Effect.PublishTombstone());
    } else if (snapshot) {
      effects.add(new Effect.PublishSnapshot());
    }
    if (reply != null) {
      effects.add(new Effect.Reply(reply));
    }
    return new Decision(state, effects);
  }
}
