package dev.ferry.orchestrator.internal;

import dev.ferry.engine.Decision;
import dev.ferry.engine.Effect;
import dev.ferry.engine.Input;
import dev.ferry.engine.InstanceMachine;
import dev.ferry.ops.LogContext;
import dev.ferry.schemas.InstanceKey;
import dev.ferry.schemas.RecordSizes;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.WorkflowKey;
import dev.ferry.schemas.avro.Activation;
import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.avro.CommandReply;
import dev.ferry.schemas.avro.HeldCreate;
import dev.ferry.schemas.avro.InstanceEvent;
import dev.ferry.schemas.avro.InstanceState;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.Task;
import dev.ferry.schemas.avro.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only writer of instance state, and a thin interpreter of the state machine: for each input it
 * loads the state, asks {@link InstanceMachine} for the transition, keeps the new state and carries
 * out the transition's effects over the stores and topics, in order. A wall-clock punctuator fires
 * due timers through the same path. Time always comes from the processor context, so tests drive it
 * with {@code advanceWallClockTime}.
 *
 * <p>What only a processor can do stays on this side of the machine, in classes over its stores:
 * due timers ({@link DueTimers}), the admission queue ({@link AdmissionQueue}), instances waiting
 * for a worker ({@link AwaitingWorker}), held creates ({@link HeldCreates}), running counts ({@link
 * RunningSlots}), and the records it sends ({@link InstanceRecords}: activation pages, snapshots).
 */
public final class InstanceProcessor implements Processor<String, Inbound, String, Object> {
  private static final Logger LOG = LoggerFactory.getLogger(InstanceProcessor.class);

  private final InstanceMachine machine;
  private final Names names;
  private final Duration tick;
  private final int maxTimersPerTick;
  private final int maxSteps;
  private final Topics topics;
  private final OrchestratorMetrics metrics;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, InstanceState> instances;
  private KeyValueStore<String, String> params;
  private KeyValueStore<String, StepRecord> steps;
  private DueTimers timers;
  private KeyValueStore<String, InstanceEvent> events;
  private AdmissionQueue queue;
  private AwaitingWorker awaitingWorker;
  private HeldCreates held;
  private RunningSlots running;
  private InstanceRecords records;
  private WorkflowCatalogView catalog;
  private WorkerDirectory directory;
  private final ThreadLocal<EagerCommits> eagerCommits;

  /** How often waiting instances are checked against the workers present. */
  static final Duration WORKER_CHECK = Duration.ofMillis(WorkerDirectory.REFRESH_MS);

  /**
   * How often held creates are checked against the catalogue: a create held only because this
   * orchestrator's copy lagged the sender's (tens of milliseconds) starts within this much more.
   */
  static final Duration HELD_CHECK = Duration.ofMillis(WorkerDirectory.MISS_REFRESH_MS);

  /** The node and store names this processor reads and writes. */
  public record Names(
      String instancesStore,
      String paramsStore,
      String stepsStore,
      String timersStore,
      String eventsStore,
      String queueStore,
      String tasksSink,
      String statusSink,
      String historySink,
      String repliesSink,
      String deadLetterSink,
      String catalogDefinitionsStore,
      String catalogVersionsStore,
      String awaitingWorkerStore,
      String catalogWorkersStore,
      String runningSlotsStore,
      String heldCreatesStore) {}

  public InstanceProcessor(
      InstanceMachine machine,
      Names names,
      Duration tick,
      int maxTimersPerTick,
      int maxSteps,
      Topics topics,
      OrchestratorMetrics metrics,
      ThreadLocal<EagerCommits> eagerCommits) {
    this.machine = machine;
    this.eagerCommits = eagerCommits;
    this.names = names;
    this.tick = tick;
    this.maxTimersPerTick = maxTimersPerTick;
    this.maxSteps = maxSteps;
    this.topics = topics;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.instances = context.getStateStore(names.instancesStore());
    this.params = context.getStateStore(names.paramsStore());
    this.steps = context.getStateStore(names.stepsStore());
    this.timers = new DueTimers(context.getStateStore(names.timersStore()));
    this.events = context.getStateStore(names.eventsStore());
    this.queue = new AdmissionQueue(context.getStateStore(names.queueStore()));
    this.awaitingWorker = new AwaitingWorker(context.getStateStore(names.awaitingWorkerStore()));
    this.directory =
        new WorkerDirectory(
            context.getStateStore(names.catalogWorkersStore()),
            topics.serde(Topics.WORKERS).deserializer(),
            topics.name(Topics.WORKERS));
    this.catalog =
        new WorkflowCatalogView(
            context.getStateStore(names.catalogDefinitionsStore()),
            context.getStateStore(names.catalogVersionsStore()),
            topics.serde(Topics.DEFINITIONS).deserializer(),
            topics.serde(Topics.VERSIONS).deserializer(),
            topics.name(Topics.DEFINITIONS),
            topics.name(Topics.VERSIONS));
    this.records = new InstanceRecords(steps, params, maxSteps);
    this.running = new RunningSlots(context.getStateStore(names.runningSlotsStore()), instances);
    this.held = new HeldCreates(context.getStateStore(names.heldCreatesStore()));
    context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, this::fireDueTimers);
    context.schedule(WORKER_CHECK, PunctuationType.WALL_CLOCK_TIME, this::startAwaitingWorker);
    context.schedule(HELD_CHECK, PunctuationType.WALL_CLOCK_TIME, this::releaseHeldCreates);
  }

  private static WorkflowKey workflowOf(InstanceState state) {
    return WorkflowKey.of(state.getAccount(), state.getWorkflow());
  }

  @Override
  public void process(Record<String, Inbound> record) {
    try (LogContext.Scope log = LogContext.instance(record.key())) {
      decide(record, context.currentSystemTimeMs());
    }
  }

  /** One input, a failure contained (logged with the instance it is about). */
  private void decide(Record<String, Inbound> record, long now) {
    try {
      run(record.key(), input(record.value()), record, now);
    } catch (StreamsException e) {
      throw e; // the framework's own (fencing, task migration, a failing store): it recovers them
    } catch (RuntimeException e) {
      contain(record.key(), describe(record.value()), record, e, now);
    }
  }

  private static Input input(Inbound inbound) {
    if (inbound instanceof Inbound.CommandIn in) {
      return new Input.CommandIn(in.command());
    }
    if (inbound instanceof Inbound.ReportIn in) {
      return new Input.ReportIn(in.report());
    }
    return new Input.EventIn(((Inbound.EventIn) inbound).event());
  }

  /** One transition of the instance: decided by the machine, carried out here. */
  private void run(String key, Input input, Record<String, Inbound> record, long now) {
    run(key, instances.get(key), input, record, now);
  }

  private void run(
      String key, InstanceState before, Input input, Record<String, Inbound> record, long now) {
    Decision decision = machine.apply(facts(now), key, before, input, now);
    carryOut(key, decision, record, now);
    metrics.transition(before, decision.state(), now);
    // Timers count once per tick, in fireDueTimers.
    if (record != null && eagerCommits.get().afterTransition(now, now - record.timestamp())) {
      context.commit();
    }
  }

  private StoreFacts facts(long now) {
    return new StoreFacts(steps, events, catalog, directory, running::running, now);
  }

  /**
   * What to do when handling an input threw: a bug in a decision or a corrupt stored value must
   * neither stop the stream thread nor replay the input forever. The instance ends errored with
   * {@code WorkflowInternalError}, a sender waiting for a reply gets one, the record (if there is
   * one) goes to the dead-letter topic with the exception, and the partition goes on.
   */
  private void contain(
      String key, String what, Record<String, Inbound> record, RuntimeException failure, long now) {
    String message =
        "Ferry could not process "
            + what
            + " for this instance ("
            + failure
            + ")"
            + (record == null ? "" : "; the record was moved to the dead-letter topic");
    LOG.error("processing {} for {} failed; the instance ends errored", what, key, failure);
    try {
      InstanceState state;
      boolean unreadable = false;
      try {
        state = instances.get(key);
      } catch (StreamsException e) {
        throw e;
      } catch (RuntimeException e) {
        state = null;
        unreadable = true;
      }
      if (state != null || unreadable) {
        run(key, state, new Input.InternalError(message), null, now);
      }
      CommandReply reply =
          record == null ? null : InstanceMachine.failureReply(input(record.value()), message);
      if (reply != null) {
        context.forward(new Record<>(key, reply, now), names.repliesSink());
      }
    } catch (StreamsException e) {
      throw e;
    } catch (RuntimeException again) {
      LOG.error("{} could not be marked errored either", key, again);
    }
    if (record != null) {
      deadLetter(
          record,
          OrchestratorMetrics.DeadLetterReason.PROCESSING_FAILED,
          "processing failed: " + failure);
    }
  }

  private static String describe(Inbound input) {
    if (input instanceof Inbound.CommandIn in) {
      return "a command (" + in.command().getAction().getClass().getSimpleName() + ")";
    }
    return input instanceof Inbound.ReportIn ? "a worker report" : "an event";
  }

  /**
   * Keeps the new state and carries out the effects in order. {@code record} is the input record,
   * if the transition answers one (for the dead-letter topic).
   */
  private void carryOut(String key, Decision decision, Record<String, Inbound> record, long now) {
    for (StepRecord step : decision.steps()) {
      if (!RecordSizes.fits(step)) {
        // Refused before anything is stored: containment ends the instance with this reason.
        throw new IllegalArgumentException(RecordSizes.tooLarge(step));
      }
    }
    // Every effect that needs the state comes with a new one; an answer alone (a refusal, a
    // stale report's silence) needs no store read.
    InstanceState state = decision.state();
    if (state != null) {
      instances.put(key, state);
    }
    WorkflowKey freed = null;
    for (Effect effect : decision.effects()) {
      if (effect instanceof Effect.StoreParams e) {
        params.put(key, e.json());
      } else if (effect instanceof Effect.Expire) {
        params.delete(key);
        StoreScans.deleteSteps(steps, key, 0);
        StoreScans.deleteWithPrefix(events, key + "#");
      } else if (effect instanceof Effect.EraseSteps e) {
        StoreScans.deleteSteps(steps, key, e.from());
      } else if (effect instanceof Effect.PutStep e) {
        steps.put(StepKeys.key(key, e.step().getPosition()), e.step());
      } else if (effect instanceof Effect.BufferEvent e) {
        events.put(EventKeys.key(key, e.event().getType(), state.getEventSeq()), e.event());
      } else if (effect instanceof Effect.ConsumeEvent e) {
        events.delete(e.key());
      } else if (effect instanceof Effect.ScheduleTimer e) {
        timers.schedule(e.timer());
      } else if (effect instanceof Effect.HoldCreate e) {
        LOG.debug("workflow of {} not in the catalogue yet; its create is held", key);
        Command command = ((Inbound.CommandIn) record.value()).command();
        held.hold(key, command, record, DeadLetterRecords.source(context), e.until());
      } else if (effect instanceof Effect.Enqueue e) {
        WorkflowKey workflow = workflowOf(state);
        queue.add(workflow, e.priority(), now, key);
      } else if (effect instanceof Effect.AwaitWorker e) {
        LOG.debug("no worker group hosts {}; {} waits for one", workflowOf(state), key);
        awaitingWorker.add(key, workflowOf(state), e.token());
      } else if (effect instanceof Effect.SlotChange e) {
        running.change(workflowOf(state), e.delta());
        if (e.delta() < 0) {
          freed = workflowOf(state);
        }
      } else if (effect instanceof Effect.SendControl e) {
        forwardTask(key, e.group(), new Task(e.control()), now);
      } else if (effect instanceof Effect.Activate e) {
        for (Activation page : records.activation(key, state, e)) {
          forwardTask(key, e.group(), new Task(page), now);
        }
      } else if (effect instanceof Effect.PublishHistory e) {
        context.forward(new Record<>(key, e.event(), now), names.historySink());
      } else if (effect instanceof Effect.PublishSnapshot) {
        context.forward(
            new Record<>(key, records.snapshot(state, key, now), now), names.statusSink());
      } else if (effect instanceof Effect.PublishTombstone) {
        // Compaction removes the instance from the status topic; readers forget it.
        context.forward(new Record<String, Object>(key, null, now), names.statusSink());
      } else if (effect instanceof Effect.Reply e) {
        context.forward(new Record<>(key, e.reply(), now), names.repliesSink());
      } else if (effect instanceof Effect.DeadLetter e) {
        if (record != null) {
          deadLetter(record, OrchestratorMetrics.DeadLetterReason.REFUSED, e.reason());
        }
      } else {
        throw new IllegalStateException("no interpretation of " + effect);
      }
    }
    if (freed != null) {
      admitQueued(freed, now);
    }
  }

  private void forwardTask(String key, String group, Task task, long now) {
    context.forward(new Record<>(key, new RoutedTask(group, task), now), names.tasksSink());
  }

  /**
   * Starts queued instances of the workflow while slots are free, woken before new, oldest first.
   */
  private void admitQueued(WorkflowKey workflow, long now) {
    while (machine.hasFreeSlot(facts(now), workflow)) {
      Optional<String> next = queue.takeNext(workflow);
      if (next.isEmpty()) {
        return;
      }
      run(next.get(), new Input.Admit(), null, now); // terminated or deleted while queued: no-op
    }
  }

  /**
   * Starts the instances that wait for a worker group, for each workflow that now has one present
   * (a bounded number per call; the rest wait for the next).
   */
  void startAwaitingWorker(long now) {
    for (KeyValue<String, Long> entry :
        awaitingWorker.takeHosted(w -> !directory.hosts(w, now).isEmpty(), maxTimersPerTick)) {
      try (LogContext.Scope log = LogContext.instance(entry.key)) {
        startAwaiting(entry, now);
      }
    }
  }

  private void startAwaiting(KeyValue<String, Long> entry, long now) {
    try {
      InstanceState state = instances.get(entry.key);
      if (state == null || state.getWaitingForWorker() == null || state.getToken() != entry.value) {
        return; // moved on meanwhile (terminated, deleted, restarted)
      }
      run(entry.key, state, new Input.Admit(), null, now);
    } catch (StreamsException e) {
      throw e;
    } catch (RuntimeException e) {
      contain(entry.key, "its start after waiting for a worker", null, e, now);
    }
  }

  /**
   * Decides the held creates whose workflow appeared or whose hold ended (a bounded number per
   * call), as if their records came in now.
   */
  void releaseHeldCreates(long now) {
    for (HeldCreate create :
        held.release(
            now,
            c -> catalog.lookup(c.getAccount(), c.getWorkflow(), now).exists(),
            maxTimersPerTick)) {
      Command command = create.getCommand();
      String key =
          InstanceKey.of(command.getAccount(), command.getWorkflow(), command.getInstanceId())
              .toString();
      Record<String, Inbound> record = HeldCreates.record(key, create);
      try (LogContext.Scope log = LogContext.instance(key)) {
        try {
          run(key, new Input.CreateReleased(command), record, now);
        } catch (StreamsException e) {
          throw e;
        } catch (RuntimeException e) {
          contain(key, "a held create", record, e, now);
        }
      }
    }
  }

  private void deadLetter(
      Record<String, Inbound> record, OrchestratorMetrics.DeadLetterReason kind, String reason) {
    metrics.deadLetter(kind);
    context.forward(
        DeadLetterRecords.of(
            context,
            record.key(),
            record.value().raw(),
            record.timestamp(),
            record.headers(),
            reason),
        names.deadLetterSink());
  }

  /** Fires the timers due by {@code now}, a bounded number per call; the rest wait a tick. */
  void fireDueTimers(long now) {
    List<Timer> due = timers.takeDue(now, maxTimersPerTick);
    for (Timer timer : due) {
      String key = timer.getInstanceKey();
      metrics.timerFired(timer, now);
      try (LogContext.Scope log = LogContext.instance(key)) {
        try {
          run(key, new Input.TimerFired(timer), null, now);
        } catch (StreamsException e) {
          throw e;
        } catch (RuntimeException e) {
          contain(key, "a " + timer.getKind() + " timer", null, e, now);
        }
      }
    }
    // A sleep that ended, or a retry's delay, is waited on by the activation it starts; a tick
    // that fired a backlog (the first timer late by more than the backlog bound) is not eager.
    if (!due.isEmpty()
        && eagerCommits.get().afterTransitions(now, due.size(), now - due.get(0).getDueAt())) {
      context.commit();
    }
  }
}
