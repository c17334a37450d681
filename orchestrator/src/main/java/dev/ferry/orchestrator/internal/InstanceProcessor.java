package dev.ferry.orchestrator.internal;

import dev.ferry.schemas.CreateDefaults;
import dev.ferry.schemas.InstanceKey;
import dev.ferry.schemas.RecordSizes;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.WorkflowIds;
import dev.ferry.schemas.WorkflowKey;
import dev.ferry.schemas.avro.Activation;
import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.avro.CommandReply;
import dev.ferry.schemas.avro.CreateInstance;
import dev.ferry.schemas.avro.HistoryEvent;
import dev.ferry.schemas.avro.InstanceEvent;
import dev.ferry.schemas.avro.InstanceSnapshot;
import dev.ferry.schemas.avro.InstanceState;
import dev.ferry.schemas.avro.InstanceStatusCode;
import dev.ferry.schemas.avro.ReplyOutcome;
import dev.ferry.schemas.avro.RestartInstance;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.StepStatus;
import dev.ferry.schemas.avro.Task;
import dev.ferry.schemas.avro.Timer;
import dev.ferry.schemas.avro.WorkerReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only writer of instance state. For each input it loads the state, asks {@link
 * InstanceDecider}, stores the result and forwards the records it calls for. A wall-clock
 * punctuator fires due timers through the same path. Time always comes from the processor context,
 * so tests drive it with {@code advanceWallClockTime}.
 *
 * <p>Every activation goes to the task topic of a present worker group that hosts the workflow
 * ({@link Routing}); with none present the instance waits in the {@code awaiting-worker} store, and
 * a second punctuator starts it once a group hosting it appears on the workers topic.
 */
public final class InstanceProcessor implements Processor<String, Inbound, String, Object> {
  private static final Logger LOG = LoggerFactory.getLogger(InstanceProcessor.class);

  private final InstanceDecider decider;
  private final ControlDecider controls;
  private final Names names;
  private final Duration tick;
  private final int maxTimersPerTick;
  private final int maxSteps;
  private final long slotsPerWorkflow;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, InstanceState> instances;
  private KeyValueStore<String, String> params;
  private KeyValueStore<String, StepRecord> steps;
  private KeyValueStore<Bytes, Timer> timers;
  private KeyValueStore<String, InstanceEvent> events;
  private KeyValueStore<String, String> queue;
  private KeyValueStore<String, String> awaitingWorker;
  private final Topics topics;
  private WorkflowCatalogView catalog;
  private WorkerDirectory directory;

  /** Workflows that may have instances waiting for a worker (rebuilt from the store on start). */
  private final Set<WorkflowKey> awaitingWorkflows = new HashSet<>();

  /** How often waiting instances are checked against the workers present. */
  static final Duration WORKER_CHECK = Duration.ofMillis(WorkerDirectory.REFRESH_MS);

  /**
   * Running instances per workflow in this task. Not stored: it is derived from the instance states
   * when the task starts, which saves two changelog writes per instance.
   */
  private final Map<WorkflowKey, Long> runningCache = new HashMap<>();

  /** Whether a workflow may have queued instances (absent = unknown, e.g. after a restart). */
  private final Map<WorkflowKey, Boolean> mayHaveQueued = new HashMap<>();

  /**
   * No timer is due before this time, so scans start here instead of at zero: fired timers leave
   * tombstones at the front of the store that a scan from zero would walk on every tick. It is
   * lowered whenever an earlier timer is scheduled, and starts at zero after a restart.
   */
  private long scanFrom;

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
      String catalogWorkersStore) {}

  public InstanceProcessor(
      InstanceDecider decider,
      ControlDecider controls,
      Names names,
      Duration tick,
      int maxTimersPerTick,
      int maxSteps,
      long slotsPerWorkflow,
      Topics topics) {
    this.topics = topics;
    this.maxSteps = maxSteps;
    this.slotsPerWorkflow = slotsPerWorkflow;
    this.decider = decider;
    this.controls = controls;
    this.names = names;
    this.tick = tick;
    this.maxTimersPerTick = maxTimersPerTick;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.instances = context.getStateStore(names.instancesStore());
    this.params = context.getStateStore(names.paramsStore());
    this.steps = context.getStateStore(names.stepsStore());
    this.timers = context.getStateStore(names.timersStore());
    this.events = context.getStateStore(names.eventsStore());
    this.queue = context.getStateStore(names.queueStore());
    this.awaitingWorker = context.getStateStore(names.awaitingWorkerStore());
    this.directory =
        new WorkerDirectory(
            context.getStateStore(names.catalogWorkersStore()),
            topics.serde(Topics.WORKERS).deserializer(),
            topics.name(Topics.WORKERS));
    try (KeyValueIterator<String, String> all = awaitingWorker.all()) {
      all.forEachRemaining(
          entry -> awaitingWorkflows.add(InstanceKey.parse(entry.key).workflowKey()));
    }
    this.catalog =
        new WorkflowCatalogView(
            context.getStateStore(names.catalogDefinitionsStore()),
            context.getStateStore(names.catalogVersionsStore()),
            topics.serde(Topics.DEFINITIONS).deserializer(),
            topics.serde(Topics.VERSIONS).deserializer(),
            topics.name(Topics.DEFINITIONS),
            topics.name(Topics.VERSIONS));
    try (KeyValueIterator<String, InstanceState> all = instances.all()) {
      all.forEachRemaining(
          entry -> {
            if (Admission.holdsSlot(entry.value)) {
              runningCache.merge(workflowOf(entry.value), 1L, Long::sum);
            }
          });
    }
    context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, this::fireDueTimers);
    context.schedule(WORKER_CHECK, PunctuationType.WALL_CLOCK_TIME, this::startAwaitingWorker);
  }

  private static WorkflowKey workflowOf(InstanceState state) {
    return WorkflowKey.of(state.getAccount(), state.getWorkflow());
  }

  @Override
  public void process(Record<String, Inbound> record) {
    long now = context.currentSystemTimeMs();
    try {
      decide(record, now);
    } catch (StreamsException e) {
      throw e; // the framework's own (fencing, task migration, a failing store): it recovers them
    } catch (RuntimeException e) {
      contain(record.key(), describe(record.value()), record, e, now);
    }
  }

  private void decide(Record<String, Inbound> record, long now) {
    InstanceState state = instances.get(record.key());
    Decision decision;
    if (record.value() instanceof Inbound.CommandIn in) {
      Command command = in.command();
      if (command.getAction() instanceof CreateInstance create) {
        WorkflowCatalogView.Known known =
            catalog.lookup(command.getAccount(), command.getWorkflow(), now);
        decision =
            decider.create(
                state,
                command,
                CreateDefaults.apply(create, known.definition(), known.newestVersion()),
                create.getWorkflowChecked() || known.exists(),
                now);
      } else {
        StepRecord waiting = waitingStep(record.key(), state);
        List<StepRecord> history =
            command.getAction() instanceof RestartInstance restart && restart.getFromName() != null
                ? history(record.key())
                : List.of();
        decision =
            controls.decide(
                state, command, waiting, oldestBufferedFor(record.key(), waiting), history, now);
      }
    } else if (record.value() instanceof Inbound.ReportIn in) {
      decision =
          decider.report(state, in.report(), oldestBufferedFor(record.key(), in.report()), now);
    } else if (record.value() instanceof Inbound.EventIn in) {
      decision = decider.event(state, in.event(), waitingStep(record.key(), state), now);
      if (decision.deadLetter() != null) {
        deadLetter(record, in.raw(), decision.deadLetter());
      }
    } else {
      return;
    }
    settle(record.key(), state, decision, now);
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
        settle(key, state, decider.internalError(state, key, message, now), now);
      }
      CommandReply reply = record == null ? null : failureReply(record.value(), message);
      if (reply != null) {
        context.forward(new Record<>(key, reply, now), names.repliesSink());
      }
    } catch (StreamsException e) {
      throw e;
    } catch (RuntimeException again) {
      LOG.error("{} could not be marked errored either", key, again);
    }
    if (record != null) {
      deadLetter(record, record.value().raw(), "processing failed: " + failure);
    }
  }

  private static CommandReply failureReply(Inbound input, String message) {
    if (input instanceof Inbound.CommandIn in) {
      return InstanceDecider.reply(
          in.command(), ReplyOutcome.INTERNAL_ERROR, message, InstanceStatusCode.ERRORED);
    }
    if (input instanceof Inbound.EventIn in && in.event().getRequestId() != null) {
      return InstanceDecider.eventReply(
          in.event(), ReplyOutcome.INTERNAL_ERROR, message, InstanceStatusCode.ERRORED);
    }
    return null;
  }

  private static String describe(Inbound input) {
    if (input instanceof Inbound.CommandIn in) {
      return "a command (" + in.command().getAction().getClass().getSimpleName() + ")";
    }
    return input instanceof Inbound.ReportIn ? "a worker report" : "an event";
  }

  /**
   * Applies a decision under the running limit: a start without a free slot is queued instead; a
   * freed slot starts the next queued instance of the workflow.
   */
  private void settle(String key, InstanceState before, Decision decision, long now) {
    InstanceState after = decision.state() != null ? decision.state() : before;
    if (after == null) {
      apply(key, before, decision, now);
      return;
    }
    WorkflowKey workflow = workflowOf(after);
    long running = running(workflow);
    if (Admission.needsSlot(before, decision) && running >= slotsPerWorkflow) {
      int priority = Admission.priority(before, decision);
      decision = Admission.queue(before, decision);
      queue.put(QueueKeys.key(workflow.toString(), priority, now, key), key);
      mayHaveQueued.put(workflow, true);
    } else {
      decision = route(key, before, decision, now);
    }
    after = decision.state() != null ? decision.state() : before;
    apply(key, before, decision, now);
    long delta = (Admission.holdsSlot(after) ? 1 : 0) - (Admission.holdsSlot(before) ? 1 : 0);
    if (delta != 0) {
      running += delta;
      runningCache.put(workflow, running);
    }
    if (delta < 0) {
      admitQueued(workflow, running, now);
    }
  }

  /**
   * Picks the worker group for the activation a decision calls for; with no group present that
   * hosts the workflow, the activation is held back and the instance waits for one.
   */
  private Decision route(String key, InstanceState before, Decision decision, long now) {
    if (!decision.activate()) {
      return decision;
    }
    InstanceState state = decision.state();
    WorkflowKey workflow = workflowOf(state);
    Optional<String> group =
        Routing.choose(
            key, state.getVersionId(), state.getTaskGroup(), directory.hosts(workflow, now));
    if (group.isPresent()) {
      // The decision's state is this call's own copy (see Changes), so it is completed in place.
      state.setTaskGroup(group.get());
      return decision;
    }
    LOG.debug("no worker group hosts {}; {} waits for one", workflow, key);
    Decision held = Admission.awaitWorker(before, decision, now);
    awaitingWorker.put(key, String.valueOf(held.state().getToken()));
    awaitingWorkflows.add(workflow);
    return held;
  }

  /**
   * Starts queued instances of the workflow while slots are free, woken before new, oldest first.
   */
  private void admitQueued(WorkflowKey workflow, long running, long now) {
    while (running < slotsPerWorkflow && mayHaveQueued.getOrDefault(workflow, true)) {
      KeyValue<String, String> next;
      try (KeyValueIterator<String, String> it =
          queue.prefixScan(QueueKeys.prefix(workflow.toString()), new StringSerializer())) {
        if (!it.hasNext()) {
          mayHaveQueued.put(workflow, false);
          return;
        }
        next = it.next();
      }
      queue.delete(next.key);
      InstanceState before = instances.get(next.value);
      Decision start = decider.admit(before, now);
      if (start.isEmpty()) {
        continue; // terminated or deleted while queued
      }
      start = route(next.value, before, start, now);
      apply(next.value, before, start, now);
      if (Admission.holdsSlot(start.state())) {
        running++;
        runningCache.put(workflow, running);
      }
    }
  }

  /**
   * Starts the instances that wait for a worker group, for each workflow that now has one present
   * (a bounded number per call; the rest wait for the next).
   */
  void startAwaitingWorker(long now) {
    int budget = maxTimersPerTick;
    for (WorkflowKey workflow : List.copyOf(awaitingWorkflows)) {
      if (budget <= 0) {
        return;
      }
      if (directory.hosts(workflow, now).isEmpty()) {
        continue;
      }
      List<KeyValue<String, String>> waiting = new ArrayList<>();
      try (KeyValueIterator<String, String> it =
          awaitingWorker.prefixScan(workflow.childPrefix(), new StringSerializer())) {
        while (it.hasNext() && waiting.size() < budget) {
          waiting.add(it.next());
        }
      }
      if (waiting.isEmpty()) {
        awaitingWorkflows.remove(workflow);
        continue;
      }
      budget -= waiting.size();
      for (KeyValue<String, String> entry : waiting) {
        awaitingWorker.delete(entry.key);
        try {
          InstanceState state = instances.get(entry.key);
          if (state == null
              || state.getWaitingForWorker() == null
              || state.getToken() != Long.parseLong(entry.value)) {
            continue; // moved on meanwhile (terminated, deleted, restarted)
          }
          settle(entry.key, state, decider.admit(state, now), now);
        } catch (StreamsException e) {
          throw e;
        } catch (RuntimeException e) {
          contain(entry.key, "its start after waiting for a worker", null, e, now);
        }
      }
    }
  }

  private long running(WorkflowKey workflow) {
    return runningCache.getOrDefault(workflow, 0L);
  }

  private List<StepRecord> history(String key) {
    List<StepRecord> found = new ArrayList<>();
    try (KeyValueIterator<String, StepRecord> it =
        steps.prefixScan(StepKeys.prefix(key), new StringSerializer())) {
      it.forEachRemaining(entry -> found.add(entry.value));
    }
    return found;
  }

  private StepRecord waitingStep(String key, InstanceState state) {
    return state == null || state.getWaitingFor() == null
        ? null
        : steps.get(StepKeys.key(key, state.getWaitingFor()));
  }

  /** For each event type the report starts waiting for, the oldest event already kept. */
  private Map<String, BufferedEvent> oldestBufferedFor(String key, WorkerReport report) {
    Map<String, BufferedEvent> found = new HashMap<>();
    for (StepRecord step : report.getSteps()) {
      found.putAll(oldestBufferedFor(key, step));
    }
    return found;
  }

  /** The oldest event kept for the type {@code step} waits for, keyed by that type. */
  private Map<String, BufferedEvent> oldestBufferedFor(String key, StepRecord step) {
    if (step == null || step.getStatus() != StepStatus.WAITING || step.getEventType() == null) {
      return Map.of();
    }
    try (KeyValueIterator<String, InstanceEvent> it =
        events.prefixScan(EventKeys.prefix(key, step.getEventType()), new StringSerializer())) {
      if (!it.hasNext()) {
        return Map.of();
      }
      KeyValue<String, InstanceEvent> oldest = it.next();
      return Map.of(step.getEventType(), new BufferedEvent(oldest.key, oldest.value));
    }
  }

  private void deadLetter(Record<String, Inbound> record, byte[] raw, String reason) {
    context.forward(
        DeadLetterRecords.of(
            context,
            record.key(),
            raw,
            record.timestamp(),
            new org.apache.kafka.common.header.internals.RecordHeaders(),
            reason),
        names.deadLetterSink());
  }

  /** Fires the timers due by {@code now}, a bounded number per call; the rest wait a tick. */
  void fireDueTimers(long now) {
    List<KeyValue<Bytes, Timer>> due = new ArrayList<>();
    try (KeyValueIterator<Bytes, Timer> it =
        timers.range(TimerKeys.at(scanFrom), TimerKeys.dueBy(now))) {
      while (it.hasNext() && due.size() < maxTimersPerTick) {
        due.add(it.next());
      }
    }
    // Everything due by now is in `due` unless the tick's budget ran out.
    scanFrom = due.size() < maxTimersPerTick ? now + 1 : due.get(due.size() - 1).value.getDueAt();
    for (KeyValue<Bytes, Timer> entry : due) {
      timers.delete(entry.key);
      Timer timer = entry.value;
      String key = timer.getInstanceKey();
      try {
        StepRecord step =
            timer.getPosition() == null ? null : steps.get(StepKeys.key(key, timer.getPosition()));
        InstanceState before = instances.get(key);
        settle(key, before, decider.timer(before, timer, step, now), now);
      } catch (StreamsException e) {
        throw e;
      } catch (RuntimeException e) {
        contain(key, "a " + timer.getKind() + " timer", null, e, now);
      }
    }
  }

  /** Stores and forwards what the decision says; {@code before} is the state it was made on. */
  private void apply(String key, InstanceState before, Decision decision, long now) {
    for (StepRecord step : decision.steps()) {
      if (!RecordSizes.fits(step)) {
        // Refused before anything is stored: containment ends the instance with this reason.
        throw new IllegalArgumentException(RecordSizes.tooLarge(step));
      }
    }
    if (decision.params() != null) {
      params.put(key, decision.params());
    }
    if (decision.eraseFrom() >= 0 || decision.expire()) {
      int from = decision.expire() ? 0 : decision.eraseFrom();
      List<String> erased = new ArrayList<>();
      try (KeyValueIterator<String, StepRecord> it =
          steps.prefixScan(StepKeys.prefix(key), new StringSerializer())) {
        it.forEachRemaining(
            entry -> {
              if (entry.value.getPosition() >= from) {
                erased.add(entry.key);
              }
            });
      }
      erased.forEach(steps::delete);
    }
    for (StepRecord step : decision.steps()) {
      steps.put(StepKeys.key(key, step.getPosition()), step);
    }
    if (decision.expire()) {
      params.delete(key);
      List<String> kept = new ArrayList<>();
      try (KeyValueIterator<String, InstanceEvent> it =
          events.prefixScan(key + "#", new StringSerializer())) {
        it.forEachRemaining(entry -> kept.add(entry.key));
      }
      kept.forEach(events::delete);
    }
    if (decision.buffer() != null) {
      InstanceEvent event = decision.buffer();
      events.put(EventKeys.key(key, event.getType(), state(decision, key).getEventSeq()), event);
    }
    for (String consumed : decision.consumedEvents()) {
      events.delete(consumed);
    }
    for (Timer timer : decision.timers()) {
      timers.put(TimerKeys.key(timer), timer);
      scanFrom = Math.min(scanFrom, timer.getDueAt());
    }
    InstanceState state = decision.state();
    List<Activation> pages = decision.activate() ? activation(key, before, state) : List.of();
    if (state != null) {
      instances.put(key, state);
    }
    if (decision.control() != null && before != null && before.getTaskGroup() != null) {
      // To the group running the activation the control names; an instance waiting for a
      // worker has no activation to stop.
      context.forward(
          new Record<>(
              key, new RoutedTask(before.getTaskGroup(), new Task(decision.control())), now),
          names.tasksSink());
    }
    for (Activation page : pages) {
      context.forward(
          new Record<>(key, new RoutedTask(state.getTaskGroup(), new Task(page)), now),
          names.tasksSink());
    }
    for (HistoryEvent event : decision.history()) {
      context.forward(new Record<>(key, event, now), names.historySink());
    }
    if (decision.expire()) {
      // A tombstone: compaction removes the instance from the status topic, readers forget it.
      context.forward(new Record<String, Object>(key, null, now), names.statusSink());
    } else if (decision.snapshot()) {
      context.forward(new Record<>(key, snapshot(state, key, now), now), names.statusSink());
    }
    if (decision.reply() != null) {
      context.forward(new Record<>(key, decision.reply(), now), names.repliesSink());
    }
  }

  private InstanceState state(Decision decision, String key) {
    return decision.state() != null ? decision.state() : instances.get(key);
  }

  /**
   * The pages of the activation the state's token stands for. The worker that ran the previous
   * activation keeps the history it saw and wrote, so only the entries written since by others go
   * out (from {@code deltaFrom}); the whole history goes to a new group, after a worker said it
   * lacks its view, and for the first activation. Marks the state as activated.
   */
  private List<Activation> activation(String key, InstanceState before, InstanceState state) {
    int size = state.getHistorySize();
    boolean whole =
        state.getActivatedToken() == 0
            || before == null
            || !Objects.equals(before.getTaskGroup(), state.getTaskGroup());
    int from = whole ? 0 : Math.min(state.getDeltaFrom(), size);
    List<StepRecord> entries = new ArrayList<>();
    if (from < size) {
      try (KeyValueIterator<String, StepRecord> it =
          steps.range(StepKeys.key(key, from), StepKeys.key(key, size - 1))) {
        it.forEachRemaining(entry -> entries.add(entry.value));
      }
    }
    LOG.debug(
        "activating {} with token {}: {} of {} entries from {}",
        key,
        state.getToken(),
        entries.size(),
        size,
        from);
    Activation header =
        Activation.newBuilder()
            .setAccount(state.getAccount())
            .setWorkflow(state.getWorkflow())
            .setInstanceId(state.getInstanceId())
            .setToken(state.getToken())
            .setGeneration(state.getGeneration())
            .setParams(params.get(key))
            .setCreatedAt(state.getQueuedAt())
            .setTriggerSource(state.getTriggerSource())
            .setSchedule(state.getSchedule())
            .setMaxSteps(state.getMaxSteps() == null ? maxSteps : state.getMaxSteps())
            .setRollback(state.getStatus() == InstanceStatusCode.ROLLING_BACK)
            .setBaseToken(whole ? 0 : state.getActivatedToken())
            .setHistoryFrom(from)
            .setHistorySize(size)
            .build();
    state.setActivatedToken(state.getToken());
    state.setDeltaFrom(Integer.MAX_VALUE); // nothing written by others yet
    return ActivationPages.of(header, entries);
  }

  private InstanceSnapshot snapshot(InstanceState state, String key, long now) {
    return InstanceSnapshot.newBuilder()
        .setAccount(state.getAccount())
        .setWorkflow(state.getWorkflow())
        .setInstanceId(state.getInstanceId())
        .setStatus(state.getStatus())
        .setGeneration(state.getGeneration())
        .setParams(params.get(key))
        .setTriggerSource(state.getTriggerSource())
        .setSchedule(state.getSchedule())
        .setQueuedAt(state.getQueuedAt())
        .setStartedAt(state.getStartedAt())
        .setEndedAt(state.getEndedAt())
        .setOutput(state.getOutput())
        .setError(state.getError())
        .setVersionId(
            state.getVersionId() != null
                ? state.getVersionId()
                : WorkflowIds.versionId(state.getAccount(), state.getWorkflow()))
        .setStepCount(state.getStepCount())
        .setUpdatedAt(now)
        .setRollback(state.getRollback())
        .setHistoryEvents(state.getHistoryEvents())
        .setWaitingForWorker(state.getWaitingForWorker())
        .setVersionsRun(state.getVersionsRun())
        .build();
  }
}
