package dev.ferry.orchestrator.internal;

import dev.ferry.schemas.avro.HistoryEvent;
import dev.ferry.schemas.avro.HistoryEventType;
import dev.ferry.schemas.avro.InstanceState;
import dev.ferry.schemas.avro.InstanceStatusCode;
import dev.ferry.schemas.avro.WorkerWait;
import java.util.List;

/**
 * The running-instance limit as a pure rule over decisions: a decision that would start running an
 * instance which was not running becomes "queued" when no slot is free. Queued instances start
 * later, woken ones (from a wait or a pause) before new ones, oldest first. The same hold-back
 * keeps an instance queued while no worker group that hosts its workflow is present.
 */
public final class Admission {
  /** Queue priority of instances that were running before (woken, resumed). */
  public static final int WOKEN = 0;

  /** Queue priority of instances that never ran in this generation (created, restarted). */
  public static final int NEW = 1;

  private Admission() {}

  /** Running or about to stop running: the instance holds a slot. */
  public static boolean holdsSlot(InstanceState state) {
    return state != null && !state.getExpired() && Changes.isActive(state.getStatus());
  }

  /** Whether applying the decision would take a slot the instance does not hold now. */
  public static boolean needsSlot(InstanceState before, Decision decision) {
    return decision.state() != null
        && decision.activate()
        && !holdsSlot(before)
        && decision.state().getStatus() == InstanceStatusCode.RUNNING;
  }

  /** The queue priority for an instance the decision could not start. */
  public static int priority(InstanceState before, Decision decision) {
    boolean sameRun =
        before != null
            && before.getGeneration() == decision.state().getGeneration()
            && before.getStartedAt() != null;
    return sameRun ? WOKEN : NEW;
  }

  /**
   * The decision with the start held back for a slot: status queued, no activation, no start event,
   * no start time if it never started.
   */
  public static Decision queue(InstanceState before, Decision decision) {
    return holdBack(before, decision, null);
  }

  /**
   * The decision with its activation held back until a worker group that hosts the workflow is
   * present: like {@link #queue}, and the state says what it waits for. A rollback keeps its status
   * (it is not a start).
   */
  public static Decision awaitWorker(InstanceState before, Decision decision, long now) {
    InstanceState state = decision.state();
    WorkerWait wait =
        state.getWaitingForWorker() != null
            ? state.getWaitingForWorker()
            : new WorkerWait(state.getWorkflow(), state.getVersionId(), now);
    return holdBack(before, decision, wait);
  }

  private static Decision holdBack(InstanceState before, Decision decision, WorkerWait wait) {
    InstanceState state = InstanceState.newBuilder(decision.state()).build();
    boolean start = state.getStatus() != InstanceStatusCode.ROLLING_BACK;
    if (start) {
      state.setStatus(InstanceStatusCode.QUEUED);
      if (priority(before, decision) == NEW) {
        state.setStartedAt(null);
      }
    }
    state.setLeaseExpiresAt(null);
    state.setTaskGroup(null);
    state.setWaitingForWorker(wait);
    List<HistoryEvent> history =
        decision.history().stream()
            .filter(e -> !start || e.getType() != HistoryEventType.WORKFLOW_START)
            .toList();
    // The events held back were counted when they were made; readers compare counts.
    state.setHistoryEvents(state.getHistoryEvents() - (decision.history().size() - history.size()));
    return new Decision(
        state,
        decision.params(),
        decision.steps(),
        decision.timers(),
        false,
        true,
        history,
        decision.reply() == null || !start
            ? decision.reply()
            : dev.ferry.schemas.avro.CommandReply.newBuilder(decision.reply())
                .setStatus(decision.reply().getStatus() == null ? null : InstanceStatusCode.QUEUED)
                .build(),
        decision.buffer(),
        decision.consumedEvents(),
        decision.deadLetter(),
        decision.control(),
        decision.eraseFrom(),
        decision.expire());
  }
}
