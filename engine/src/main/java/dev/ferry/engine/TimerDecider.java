package dev.ferry.engine;

import dev.ferry.schemas.ApiStatus;
import dev.ferry.schemas.ErrorNames;
import dev.ferry.schemas.WakeTimes;
import dev.ferry.schemas.avro.Attempt;
import dev.ferry.schemas.avro.ErrorInfo;
import dev.ferry.schemas.avro.HistoryEventType;
import dev.ferry.schemas.avro.InstanceState;
import dev.ferry.schemas.avro.InstanceStatusCode;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.StepStatus;
import dev.ferry.schemas.avro.Timer;
import dev.ferry.schemas.avro.TimerKind;
import java.util.ArrayList;
import java.util.List;

/**
 * Timers that came due, as pure decisions: a lease that ran out (the attempt in flight is recorded
 * as lost), a sleep or retry delay that ended, a wait that timed out, a retention that expired. A
 * timer of an older token or generation changes nothing.
 */
public final class TimerDecider {
  static final String LOST_ATTEMPT = "Attempt failed due to internal workflows error";

  private final DeciderSettings settings;

  public TimerDecider(DeciderSettings settings) {
    this.settings = settings;
  }

  /** A timer fired; {@code step} is the history entry at the timer's position, if it has one. */
  public Decision decide(InstanceState current, Timer timer, StepRecord step, long now) {
    if (current == null
        || timer.getToken() != current.getToken()
        || timer.getGeneration() != current.getGeneration()) {
      return Decision.none();
    }
    Changes changes = new Changes(InstanceState.newBuilder(current).build(), settings);
    InstanceState state = changes.state;
    switch (timer.getKind()) {
      case LEASE -> {
        if (!Changes.isActive(state.getStatus()) || state.getLeaseExpiresAt() == null) {
          return Decision.none();
        }
        if (state.getLeaseExpiresAt() > now) {
          // Reports extended the lease; move the timer only now, not on every report.
          changes.timers.add(
              Changes.timerFor(state, TimerKind.LEASE, state.getLeaseExpiresAt(), null));
          state.setLeaseTimerDue(state.getLeaseExpiresAt());
          return changes.decision();
        }
        if (state.getInFlight() != null) {
          StepRecord lost = failLostAttempt(state.getInFlight(), now);
          changes.record(lost);
          changes.event(HistoryEventType.ATTEMPT_FAILURE, now, lost, lost.getError());
          state.setInFlight(null);
        }
        // The worker of the lost run keeps a view with what that run did, and its reports may yet
        // arrive, too late to be taken: the next activation must not build on that view.
        state.setActivatedToken(0);
        changes.continueOrPause(now);
      }
      case SLEEP -> {
        if (state.getStatus() != InstanceStatusCode.WAITING
            || step == null
            || step.getStatus() != StepStatus.SLEEPING) {
          return Decision.none();
        }
        StepRecord slept =
            StepRecord.newBuilder(step).setStatus(StepStatus.SLEPT).setEndedAt(now).build();
        changes.update(slept);
        changes.event(HistoryEventType.SLEEP_COMPLETE, now, slept, null);
        changes.wake(now);
      }
      case RETRY -> {
        if (state.getStatus() != InstanceStatusCode.WAITING
            || step == null
            || step.getStatus() != StepStatus.RETRY_WAIT) {
          return Decision.none();
        }
        changes.wake(now);
      }
      case WAIT_TIMEOUT -> {
        if (state.getStatus() != InstanceStatusCode.WAITING
            || step == null
            || step.getStatus() != StepStatus.WAITING) {
          return Decision.none();
        }
        ErrorInfo timeout = new ErrorInfo(ErrorNames.TIMEOUT, WakeTimes.timeoutMessage(step));
        StepRecord timedOut =
            StepRecord.newBuilder(step)
                .setStatus(StepStatus.TIMED_OUT)
                .setEndedAt(now)
                .setError(timeout)
                .build();
        changes.update(timedOut);
        changes.event(HistoryEventType.WAIT_TIMED_OUT, now, timedOut, timeout);
        changes.wake(now);
      }
      case RETENTION -> {
        if (!ApiStatus.isTerminal(state.getStatus()) || state.getExpired()) {
          return Decision.none();
        }
        changes.expire();
      }
      default -> {
        return Decision.none();
      }
    }
    return changes.decision();
  }

  private static StepRecord failLostAttempt(StepRecord inFlight, long now) {
    List<Attempt> attempts = new ArrayList<>(inFlight.getAttempts());
    ErrorInfo error = new ErrorInfo(ErrorNames.INTERNAL, LOST_ATTEMPT);
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
}
