package dev.ferry.orchestrator.internal;

import dev.ferry.schemas.avro.HistoryEvent;
import dev.ferry.schemas.avro.HistoryEventType;
import dev.ferry.schemas.avro.InstanceState;
import dev.ferry.schemas.avro.InstanceStatusCode;
import java.util.List;

/**
 * The running-instance limit as a pure rule over decisions: a decision that would start running an
 * instance which was not running becomes "queued" when no slot is free. Queued instances start
 * later, woken ones (from a wait or a pause) before new ones, oldest first.
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
   * The decision with the start held back: status queued, no activation, no start event, no start
   * time if it never started.
   */
  public static Decision queue(InstanceState before, Decision decision) {
    InstanceState state = InstanceState.newBuilder(decision.state()).build();
    state.setStatus(InstanceStatusCode.QUEUED);
    state.setLeaseExpiresAt(null);
    if (priority(before, decision) == NEW) {
      state.setStartedAt(null);
    }
    List<HistoryEvent> history =
        decision.history().stream()
            .filter(e -> e.getType() != HistoryEventType.WORKFLOW_START)
            .toList();
    return new Decision(
        state,
        decision.params(),
        decision.steps(),
        decision.timers(),
        false,
        true,
        history,
        decision.reply() == null
            ? null
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
