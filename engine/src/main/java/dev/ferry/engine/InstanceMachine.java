package dev.ferry.engine;

import dev.ferry.schemas.CreateDefaults;
import dev.ferry.schemas.Names;
import dev.ferry.schemas.WorkflowKey;
import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.avro.CommandReply;
import dev.ferry.schemas.avro.CreateInstance;
import dev.ferry.schemas.avro.InstanceState;
import dev.ferry.schemas.avro.InstanceStatusCode;
import dev.ferry.schemas.avro.ReplyOutcome;
import dev.ferry.schemas.avro.RestartInstance;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.StepStatus;
import dev.ferry.schemas.avro.Timer;
import dev.ferry.schemas.avro.WorkerReport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The instance state machine: {@code apply(facts, key, state, input, now) → new state + effects}.
 * Pure: it reads the world only through {@link Facts} and time only from {@code now}, so the
 * orchestrator and the test kit run the same transitions. Besides the transition proper ({@link
 * InstanceDecider}, {@link ControlDecider}) it applies the two rules that decide whether an
 * activation goes out: the running limit per workflow ({@link Admission}) and the choice of a
 * worker group ({@link Routing}), which also fixes what the activation carries.
 */
public final class InstanceMachine {
  private final InstanceDecider decider;
  private final ControlDecider controls;
  private final EventDecider events;
  private final TimerDecider timers;
  private final long slotsPerWorkflow;
  private final long unknownWorkflowGraceMs;

  /**
   * @param slotsPerWorkflow instances of one workflow that may run at once (in this partition)
   */
  public InstanceMachine(DeciderSettings settings, long slotsPerWorkflow) {
    this.decider = new InstanceDecider(settings);
    this.controls = new ControlDecider(settings);
    this.events = new EventDecider(settings);
    this.timers = new TimerDecider(settings);
    this.slotsPerWorkflow = slotsPerWorkflow;
    this.unknownWorkflowGraceMs = settings.unknownWorkflowGraceMs();
  }

  /** One transition of the instance {@code key}, whose state is {@code state} (null: none). */
  public Decision apply(Facts facts, String key, InstanceState state, Input input, long now) {
    return settle(facts, key, state, decide(facts, key, state, input, now), now);
  }

  /** Whether a queued instance of the workflow may start now. */
  public boolean hasFreeSlot(Facts facts, WorkflowKey workflow) {
    return facts.running(workflow) < slotsPerWorkflow;
  }

  /** Running or about to stop running: the instance holds a slot of its workflow. */
  public static boolean holdsSlot(InstanceState state) {
    return Admission.holdsSlot(state);
  }

  private Decision decide(Facts facts, String key, InstanceState state, Input input, long now) {
    if (input instanceof Input.CommandIn in) {
      Command command = in.command();
      if (command.getAction() instanceof CreateInstance create) {
        Facts.Workflow known = facts.workflow(command.getAccount(), command.getWorkflow());
        if (!known.exists()
            && Names.checkKey(command.getAccount(), command.getWorkflow(), command.getInstanceId())
                .isEmpty()) {
          // Whoever sent it may have seen the workflow register before this orchestrator's copy of
          // the catalogue did: decide once it appears or the grace period ends.
          return new Decision(null, List.of(new Effect.HoldCreate(now + unknownWorkflowGraceMs)));
        }
        return create(known, state, command, create, now);
      }
      StepRecord waiting = waitingStep(facts, key, state);
      List<StepRecord> history =
          command.getAction() instanceof RestartInstance restart && restart.getFromName() != null
              ? facts.history(key)
              : List.of();
      return controls.decide(state, command, waiting, oldestFor(facts, key, waiting), history, now);
    }
    if (input instanceof Input.CreateReleased in) {
      Command command = in.command();
      return create(
          facts.workflow(command.getAccount(), command.getWorkflow()),
          state,
          command,
          (CreateInstance) command.getAction(),
          now);
    }
    if (input instanceof Input.ReportIn in) {
      WorkerReport report = withoutFinished(facts, key, state, in.report());
      return decider.report(state, report, oldestFor(facts, key, report), now);
    }
    if (input instanceof Input.EventIn in) {
      return events.decide(state, in.event(), waitingStep(facts, key, state), now);
    }
    if (input instanceof Input.TimerFired in) {
      Timer timer = in.timer();
      StepRecord step = timer.getPosition() == null ? null : facts.step(key, timer.getPosition());
      return timers.decide(state, timer, step, now);
    }
    if (input instanceof Input.Admit) {
      return decider.admit(state, now);
    }
    if (input instanceof Input.InternalError in) {
      return decider.internalError(state, key, in.message(), now);
    }
    throw new IllegalArgumentException("unknown input " + input);
  }

  /** A create decided on what the catalogue knows of its workflow (looked up once). */
  private Decision create(
      Facts.Workflow known, InstanceState state, Command command, CreateInstance create, long now) {
    return decider.create(
        state,
        command,
        CreateDefaults.apply(create, known.definition(), known.newestVersion()),
        known.exists(),
        now);
  }

  /**
   * The running limit: a start without a free slot is queued instead. Otherwise the activation is
   * routed. Says when the instance took or gave back a slot.
   */
  private Decision settle(
      Facts facts, String key, InstanceState before, Decision decision, long now) {
    InstanceState after = decision.state() != null ? decision.state() : before;
    if (after == null) {
      return decision;
    }
    WorkflowKey workflow = WorkflowKey.of(after.getAccount(), after.getWorkflow());
    if (Admission.needsSlot(before, decision) && !hasFreeSlot(facts, workflow)) {
      decision = Admission.queue(before, decision);
    } else {
      decision = route(facts, key, before, decision, now);
    }
    after = decision.state() != null ? decision.state() : before;
    int delta = (holdsSlot(after) ? 1 : 0) - (holdsSlot(before) ? 1 : 0);
    if (delta == 0) {
      return decision;
    }
    List<Effect> effects = new ArrayList<>(decision.effects());
    effects.add(new Effect.SlotChange(delta));
    return new Decision(decision.state(), effects);
  }

  /**
   * Picks the worker group for the activation the decision calls for, and what it carries: the
   * whole history for a new group or the first activation, else what others wrote since the last
   * one (the worker keeps the rest). With no group present the instance waits for one.
   */
  private Decision route(
      Facts facts, String key, InstanceState before, Decision decision, long now) {
    if (!decision.activate()) {
      return decision;
    }
    InstanceState state = decision.state();
    WorkflowKey workflow = WorkflowKey.of(state.getAccount(), state.getWorkflow());
    Optional<String> group =
        Routing.choose(key, state.getVersionId(), state.getTaskGroup(), facts.hosts(workflow));
    if (group.isEmpty()) {
      return Admission.awaitWorker(before, decision, now);
    }
    // The decision's state is this transition's own copy, so it is completed in place.
    state.setTaskGroup(group.get());
    boolean whole =
        state.getActivatedToken() == 0
            || before == null
            || !Objects.equals(before.getTaskGroup(), group.get());
    long baseToken = whole ? 0 : state.getActivatedToken();
    int from = whole ? 0 : Math.min(state.getDeltaFrom(), state.getHistorySize());
    state.setActivatedToken(state.getToken());
    state.setDeltaFrom(Integer.MAX_VALUE); // nothing written by others yet
    List<Effect> effects = new ArrayList<>();
    for (Effect effect : decision.effects()) {
      effects.add(
          effect instanceof Effect.Activate
              ? new Effect.Activate(group.get(), baseToken, from)
              : effect);
    }
    return new Decision(state, effects);
  }

  /**
   * The report without the steps whose position already has its final outcome: a step finishes
   * exactly once, so a duplicate (a report sent twice, a forged one) is neither stored nor counted
   * again. Only a report the decider would take is looked at.
   */
  private static WorkerReport withoutFinished(
      Facts facts, String key, InstanceState state, WorkerReport report) {
    if (state == null || report.getToken() != state.getToken() || report.getSteps().isEmpty()) {
      return report;
    }
    List<StepRecord> fresh = new ArrayList<>(report.getSteps().size());
    for (StepRecord step : report.getSteps()) {
      StepRecord stored = step.getPosition() < 0 ? null : facts.step(key, step.getPosition());
      if (stored == null || !isFinal(stored.getStatus())) {
        fresh.add(step);
      }
    }
    if (fresh.size() == report.getSteps().size()) {
      return report;
    }
    WorkerReport copy = WorkerReport.newBuilder(report).build();
    copy.setSteps(fresh);
    return copy;
  }

  private static boolean isFinal(StepStatus status) {
    return switch (status) {
      case SUCCEEDED, FAILED, SLEPT, RECEIVED, TIMED_OUT -> true;
      default -> false;
    };
  }

  private static StepRecord waitingStep(Facts facts, String key, InstanceState state) {
    return state == null || state.getWaitingFor() == null
        ? null
        : facts.step(key, state.getWaitingFor());
  }

  /** For each event type the report starts waiting for, the oldest event already kept. */
  private static Map<String, BufferedEvent> oldestFor(
      Facts facts, String key, WorkerReport report) {
    Map<String, BufferedEvent> found = new HashMap<>();
    for (StepRecord step : report.getSteps()) {
      found.putAll(oldestFor(facts, key, step));
    }
    return found;
  }

  /** The oldest event kept for the type {@code step} waits for, keyed by that type. */
  private static Map<String, BufferedEvent> oldestFor(Facts facts, String key, StepRecord step) {
    if (step == null || step.getStatus() != StepStatus.WAITING || step.getEventType() == null) {
      return Map.of();
    }
    return facts
        .oldestEvent(key, step.getEventType())
        .map(oldest -> Map.of(step.getEventType(), oldest))
        .orElse(Map.of());
  }

  /**
   * The answer to a command or event whose handling threw, for a sender that waits for one (the
   * instance itself ends errored through {@link Input.InternalError}); null when none waits.
   */
  public static CommandReply failureReply(Input input, String message) {
    if (input instanceof Input.CommandIn in) {
      return InstanceDecider.reply(
          in.command(), ReplyOutcome.INTERNAL_ERROR, message, InstanceStatusCode.ERRORED);
    }
    if (input instanceof Input.EventIn in && in.event().getRequestId() != null) {
      return EventDecider.eventReply(
          in.event(), ReplyOutcome.INTERNAL_ERROR, message, InstanceStatusCode.ERRORED);
    }
    return null;
  }
}
