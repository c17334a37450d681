package dev.ferry.engine;

import dev.ferry.schemas.ApiStatus;
import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.avro.ControlAction;
import dev.ferry.schemas.avro.DeleteInstance;
import dev.ferry.schemas.avro.HistoryEventType;
import dev.ferry.schemas.avro.InstanceState;
import dev.ferry.schemas.avro.InstanceStatusCode;
import dev.ferry.schemas.avro.PauseInstance;
import dev.ferry.schemas.avro.ReplyOutcome;
import dev.ferry.schemas.avro.RestartInstance;
import dev.ferry.schemas.avro.ResumeInstance;
import dev.ferry.schemas.avro.StepKind;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.StepStatus;
import dev.ferry.schemas.avro.TerminateInstance;
import dev.ferry.schemas.avro.TimerKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pause, resume, terminate and restart as pure decisions (reference sections 3.2 and 3.3):
 *
 * <ul>
 *   <li>pause: running → waitingForPause (the worker finishes the step in flight, then stops);
 *       waiting → paused at once, the wait keeping its remaining time; otherwise nothing.
 *   <li>resume: paused → waiting (timer restarted with the time left) or running; waitingForPause →
 *       running (the pause is cancelled); otherwise nothing.
 *   <li>terminate: any non-terminal → terminated; results of the step in flight are discarded.
 *   <li>restart: any instance → a fresh run with the same id and params, history erased.
 * </ul>
 */
public final class ControlDecider {
  private final DeciderSettings settings;

  public ControlDecider(DeciderSettings settings) {
    this.settings = settings;
  }

  /**
   * {@code waiting} is the step at the state's {@code waitingFor} position; {@code buffered} the
   * oldest kept event of the type it waits for, if any.
   */
  public Decision decide(
      InstanceState current,
      Command command,
      StepRecord waiting,
      Map<String, BufferedEvent> buffered,
      List<StepRecord> history,
      long now) {
    if (current == null || current.getExpired()) {
      return Decision.replyOnly(
          InstanceDecider.reply(
              command,
              ReplyOutcome.NOT_FOUND,
              "instance '"
                  + command.getInstanceId()
                  + "' not found in workflow '"
                  + command.getWorkflow()
                  + "'",
              null));
    }
    Changes changes = new Changes(InstanceState.newBuilder(current).build(), settings);
    Object action = command.getAction();
    if (action instanceof PauseInstance) {
      if (ApiStatus.isTerminal(current.getStatus())) {
        return conflict(command, current, "paused");
      }
      pause(changes, now);
    } else if (action instanceof ResumeInstance) {
      resume(changes, waiting, buffered, now);
    } else if (action instanceof TerminateInstance) {
      if (ApiStatus.isTerminal(current.getStatus())) {
        return conflict(command, current, "terminated");
      }
      terminate(changes, ((TerminateInstance) action).getRollback(), now);
    } else if (action instanceof RestartInstance restart) {
      List<StepRecord> kept = List.of();
      if (restart.getFromName() != null) {
        Optional<StepRecord> from = find(history, restart);
        if (from.isEmpty()) {
          return Decision.replyOnly(
              InstanceDecider.reply(
                  command,
                  ReplyOutcome.INVALID,
                  "Step \"" + restart.getFromName() + "\" not found in execution history",
                  null));
        }
        int position = from.get().getPosition();
        kept = history.stream().filter(s -> s.getPosition() < position).toList();
      }
      restart(changes, kept, now);
    } else if (action instanceof DeleteInstance) {
      delete(changes, now);
    } else {
      return Decision.replyOnly(
          InstanceDecider.reply(
              command,
              ReplyOutcome.INVALID,
              action.getClass().getSimpleName() + " is not supported yet",
              null));
    }
    changes.reply =
        InstanceDecider.reply(command, ReplyOutcome.OK, null, changes.state.getStatus());
    return changes.decision();
  }

  private static void pause(Changes changes, long now) {
    InstanceState state = changes.state;
    switch (state.getStatus()) {
      case RUNNING -> {
        state.setStatus(InstanceStatusCode.WAITING_FOR_PAUSE);
        changes.event(HistoryEventType.WORKFLOW_PAUSE_REQUESTED, now, null, null);
        changes.control(ControlAction.PAUSE, state.getToken());
        changes.snapshot = true;
      }
      case WAITING -> changes.pause(now);
      default -> {
        // queued, paused or already pausing: nothing to do
      }
    }
  }

  private static void resume(
      Changes changes, StepRecord waiting, Map<String, BufferedEvent> buffered, long now) {
    InstanceState state = changes.state;
    if (state.getStatus() == InstanceStatusCode.WAITING_FOR_PAUSE) {
      state.setStatus(InstanceStatusCode.RUNNING); // the worker, if it stopped, will say so
      changes.event(HistoryEventType.WORKFLOW_RESUMED, now, null, null);
      changes.snapshot = true;
      return;
    }
    if (state.getStatus() != InstanceStatusCode.PAUSED) {
      return; // resuming anything else does nothing
    }
    changes.event(HistoryEventType.WORKFLOW_RESUMED, now, null, null);
    long pausedFor = now - (state.getPausedAt() == null ? now : state.getPausedAt());
    state.setPausedAt(null);
    state.setStatus(InstanceStatusCode.RUNNING);
    changes.snapshot = true;
    TimerKind kind = waiting == null ? null : timerKind(waiting.getStatus());
    if (state.getWaitingFor() == null || kind == null) {
      state.setWaitingFor(null);
      changes.activate(now);
      return;
    }
    StepRecord shifted =
        StepRecord.newBuilder(waiting).setWakeAt(waiting.getWakeAt() + pausedFor).build();
    changes.update(shifted);
    BufferedEvent early =
        kind == TimerKind.WAIT_TIMEOUT ? buffered.get(waiting.getEventType()) : null;
    if (early != null) {
      changes.consumedEvents.add(early.key());
      EventDecider.deliver(changes, shifted, early.event(), now);
      changes.activate(now);
      return;
    }
    changes.waitFor(kind, shifted, now);
  }

  private static TimerKind timerKind(StepStatus status) {
    return switch (status) {
      case SLEEPING -> TimerKind.SLEEP;
      case RETRY_WAIT -> TimerKind.RETRY;
      case WAITING -> TimerKind.WAIT_TIMEOUT;
      default -> null;
    };
  }

  private static void terminate(Changes changes, boolean rollback, long now) {
    InstanceState state = changes.state;
    if (Changes.isActive(state.getStatus())) {
      changes.control(ControlAction.TERMINATE, state.getToken());
    }
    if (rollback && state.getHistorySize() > 0) {
      // The handlers run first, in a replay that stops where the run was; then it terminates.
      state.setStatus(InstanceStatusCode.ROLLING_BACK);
      changes.event(HistoryEventType.WORKFLOW_ROLLBACK_START, now, null, null);
      state.setWaitingFor(null);
      state.setPausedAt(null);
      changes.snapshot = true;
      changes.activate(now);
      return;
    }
    // A new token: whatever the old activation still reports, and every pending timer, is stale.
    state.setToken(state.getToken() + 1);
    state.setPausedAt(null);
    changes.finish(InstanceStatusCode.TERMINATED, now);
    changes.event(HistoryEventType.WORKFLOW_TERMINATED, now, null, null);
  }

  /** Deleted at once, whatever its status: stopped if it runs, then expired like retention does. */
  private static void delete(Changes changes, long now) {
    InstanceState state = changes.state;
    if (Changes.isActive(state.getStatus())) {
      changes.control(ControlAction.TERMINATE, state.getToken());
    }
    state.setToken(state.getToken() + 1);
    if (!ApiStatus.isTerminal(state.getStatus())) {
      state.setStatus(InstanceStatusCode.TERMINATED);
      state.setEndedAt(now);
    }
    changes.expire();
  }

  /** The step a restart starts from: name, count (default 1) and kind (default do). */
  private static Optional<StepRecord> find(List<StepRecord> history, RestartInstance restart) {
    int count = restart.getFromCount() == null ? 1 : restart.getFromCount();
    StepKind kind = restart.getFromKind() == null ? StepKind.DO : restart.getFromKind();
    return history.stream()
        .filter(s -> s.getKind() == kind)
        .filter(s -> s.getName().equals(restart.getFromName()))
        .filter(s -> s.getCount() == count)
        .findFirst();
  }

  /** A fresh run; {@code kept} (the history before a restart-from step) stays recorded. */
  private static void restart(Changes changes, List<StepRecord> kept, long now) {
    InstanceState state = changes.state;
    if (Changes.isActive(state.getStatus())) {
      changes.control(ControlAction.TERMINATE, state.getToken());
    }
    state.setGeneration(state.getGeneration() + 1);
    state.setStatus(InstanceStatusCode.RUNNING);
    state.setQueuedAt(now);
    state.setStartedAt(now);
    state.setEndedAt(null);
    state.setOutput(null);
    state.setError(null);
    state.setHistorySize(kept.size());
    state.setStepCount(
        (int)
            kept.stream()
                .filter(s -> s.getKind() == StepKind.DO)
                .filter(
                    s ->
                        s.getStatus() == StepStatus.SUCCEEDED || s.getStatus() == StepStatus.FAILED)
                .count());
    state.setWaitingFor(null);
    state.setPausedAt(null);
    state.setInFlight(null);
    state.setRollback(null);
    state.setWaitingForWorker(null);
    state.setVersionsRun(List.of());
    changes.eraseFrom(kept.size());
    changes.event(HistoryEventType.WORKFLOW_QUEUED, now, null, null);
    changes.event(HistoryEventType.WORKFLOW_START, now, null, null);
    for (StepRecord step : kept) {
      changes.event(HistoryEventType.STEP_KEPT, now, step, null);
    }
    changes.snapshot = true;
    changes.activate(now);
  }

  private static Decision conflict(Command command, InstanceState current, String verb) {
    return Decision.replyOnly(
        InstanceDecider.reply(
            command,
            ReplyOutcome.CONFLICT,
            "instance '"
                + command.getInstanceId()
                + "' is "
                + ApiStatus.name(current.getStatus())
                + " and cannot be "
                + verb,
            current.getStatus()));
  }
}
