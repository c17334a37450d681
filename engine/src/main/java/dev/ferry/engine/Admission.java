package dev.ferry.engine;

import dev.ferry.schemas.avro.CommandReply;
import dev.ferry.schemas.avro.HistoryEventType;
import dev.ferry.schemas.avro.InstanceState;
import dev.ferry.schemas.avro.InstanceStatusCode;
import dev.ferry.schemas.avro.WorkerWait;
import java.util.ArrayList;
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
   * no start time if it never started; the instance waits in the admission queue.
   */
  public static Decision queue(InstanceState before, Decision decision) {
    return holdBack(before, decision, null, new Effect.Enqueue(priority(before, decision)));
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
    return holdBack(before, decision, wait, new Effect.AwaitWorker(state.getToken()));
  }

  private static Decision holdBack(
      InstanceState before, Decision decision, WorkerWait wait, Effect waitEffect) {
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
    List<Effect> effects = new ArrayList<>();
    int heldBack = 0;
    Effect.Reply reply = null;
    for (Effect effect : decision.effects()) {
      if (effect instanceof Effect.Activate
          || effect instanceof Effect.PublishSnapshot
          || effect instanceof Effect.PublishTombstone) {
        continue; // the snapshot goes out once, below
      }
      if (effect instanceof Effect.PublishHistory history
          && start
          && history.event().getType() == HistoryEventType.WORKFLOW_START) {
        heldBack++;
      } else if (effect instanceof Effect.Reply answer) {
        reply = answer;
      } else {
        effects.add(effect);
      }
    }
    effects.add(waitEffect);
    effects.add(new Effect.PublishSnapshot());
    if (reply != null) {
      effects.add(
          start && reply.reply().getStatus() != null
              ? new Effect.Reply(
                  CommandReply.newBuilder(reply.reply())
                      .setStatus(InstanceStatusCode.QUEUED)
                      .build())
              : reply);
    }
    // The events held back were counted when they were made; readers compare counts.
    state.setHistoryEvents(state.getHistoryEvents() - heldBack);
    return new Decision(state, effects);
  }
}
