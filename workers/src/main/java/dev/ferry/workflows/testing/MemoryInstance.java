package dev.ferry.workflows.testing;

import dev.ferry.engine.BufferedEvent;
import dev.ferry.engine.DeciderSettings;
import dev.ferry.engine.Decision;
import dev.ferry.engine.Effect;
import dev.ferry.engine.Facts;
import dev.ferry.engine.Input;
import dev.ferry.engine.InstanceMachine;
import dev.ferry.schemas.WorkflowKey;
import dev.ferry.schemas.avro.CommandReply;
import dev.ferry.schemas.avro.InstanceEvent;
import dev.ferry.schemas.avro.InstanceState;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.Timer;
import dev.ferry.schemas.avro.TimerKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One instance kept in maps instead of stores, driven by the engine's own {@link InstanceMachine}:
 * the test kit's interpreter of its effects. It is the orchestrator of {@link WorkflowRun}, with a
 * single worker group that hosts the workflow and no running limit.
 */
final class MemoryInstance implements Facts {
  static final String ACCOUNT = "test";
  static final String WORKFLOW = "test";
  static final String INSTANCE_ID = "test-instance";
  static final String KEY = ACCOUNT + "/" + WORKFLOW + "/" + INSTANCE_ID;
  private static final String GROUP = "test-kit";

  private final InstanceMachine machine =
      new InstanceMachine(
          new DeciderSettings(Duration.ofSeconds(30).toMillis(), Duration.ofDays(1).toMillis(), 0),
          Long.MAX_VALUE);

  private InstanceState state;
  private String params;
  private final TreeMap<Integer, StepRecord> steps = new TreeMap<>();
  private final TreeMap<String, InstanceEvent> kept = new TreeMap<>();
  private final List<Timer> timers = new ArrayList<>();
  private boolean activationDue;
  private CommandReply reply;

  /** One transition: the machine decides, this carries the effects out. */
  Decision apply(Input input, long now) {
    reply = null;
    Decision decision = machine.apply(this, KEY, state, input, now);
    if (decision.state() != null) {
      state = decision.state();
    }
    for (Effect effect : decision.effects()) {
      if (effect instanceof Effect.StoreParams e) {
        params = e.json();
      } else if (effect instanceof Effect.Expire) {
        params = null;
        steps.clear();
        kept.clear();
      } else if (effect instanceof Effect.EraseSteps e) {
        steps.tailMap(e.from(), true).clear();
      } else if (effect instanceof Effect.PutStep e) {
        steps.put(e.step().getPosition(), e.step());
      } else if (effect instanceof Effect.BufferEvent e) {
        kept.put(eventKey(e.event().getType(), state.getEventSeq()), e.event());
      } else if (effect instanceof Effect.ConsumeEvent e) {
        kept.remove(e.key());
      } else if (effect instanceof Effect.ScheduleTimer e) {
        timers.add(e.timer());
      } else if (effect instanceof Effect.Activate) {
        activationDue = true;
      } else if (effect instanceof Effect.Reply e) {
        reply = e.reply();
      }
      // Control records need no delivery (the in-memory worker runs one activation at a time and
      // has finished it); admission, snapshots and history records have no reader here.
    }
    return decision;
  }

  InstanceState state() {
    return state;
  }

  String params() {
    return params;
  }

  List<StepRecord> entries() {
    return List.copyOf(steps.values());
  }

  /** The answer to the last command or event, if it had one. */
  CommandReply reply() {
    return reply;
  }

  /** Whether an activation was called for and not yet taken (then no longer). */
  boolean takeActivation() {
    boolean due = activationDue;
    activationDue = false;
    return due;
  }

  /** The timer the instance waits on now: its sleep, retry delay or wait timeout. */
  Optional<Timer> waitTimer() {
    if (state == null || state.getWaitingFor() == null) {
      return Optional.empty();
    }
    return timers.stream()
        .filter(t -> t.getToken() == state.getToken() && t.getGeneration() == state.getGeneration())
        .filter(t -> state.getWaitingFor().equals(t.getPosition()))
        .findFirst();
  }

  /**
   * Lets the lease of the running activation expire: moves the clock to its timer and fires it,
   * again where reports extended it, until the engine gave up on the activation.
   */
  void expireLease(VirtualClock clock) {
    for (int moves = 0;
        moves < 100 && InstanceMachine.holdsSlot(state) && !activationDue;
        moves++) {
      Optional<Timer> lease =
          timers.stream()
              .filter(t -> t.getKind() == TimerKind.LEASE && t.getToken() == state.getToken())
              .min(java.util.Comparator.comparingLong(Timer::getDueAt));
      if (lease.isEmpty()) {
        return;
      }
      clock.advanceTo(lease.get().getDueAt());
      fire(lease.get(), clock.millis());
    }
  }

  /** Takes a timer out of the schedule so it can fire. */
  void fire(Timer timer, long now) {
    timers.remove(timer);
    apply(new Input.TimerFired(timer), now);
  }

  private static String eventKey(String type, long seq) {
    return type + "#" + String.format("%019d", seq);
  }

  @Override
  public StepRecord step(String instanceKey, int position) {
    return steps.get(position);
  }

  @Override
  public List<StepRecord> history(String instanceKey) {
    return entries();
  }

  @Override
  public Optional<BufferedEvent> oldestEvent(String instanceKey, String type) {
    var first = kept.ceilingEntry(type + "#");
    return first == null || !first.getKey().startsWith(type + "#")
        ? Optional.empty()
        : Optional.of(new BufferedEvent(first.getKey(), first.getValue()));
  }

  @Override
  public Workflow workflow(String account, String workflow) {
    return new Workflow(true, null, null);
  }

  @Override
  public long running(WorkflowKey workflow) {
    return InstanceMachine.holdsSlot(state) ? 1 : 0;
  }

  @Override
  public Map<String, Set<String>> hosts(WorkflowKey workflow) {
    return Map.of(GROUP, Set.of());
  }
}
