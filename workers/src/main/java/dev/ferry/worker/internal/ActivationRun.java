package dev.ferry.worker.internal;

import dev.ferry.ops.LogContext;
import dev.ferry.schemas.InstanceKey;
import dev.ferry.schemas.Limits;
import dev.ferry.schemas.RecordSizes;
import dev.ferry.schemas.avro.Activation;
import dev.ferry.schemas.avro.Attempt;
import dev.ferry.schemas.avro.ErrorInfo;
import dev.ferry.schemas.avro.ResolvedStepConfig;
import dev.ferry.schemas.avro.RollbackOutcome;
import dev.ferry.schemas.avro.RolledBack;
import dev.ferry.schemas.avro.RunCompleted;
import dev.ferry.schemas.avro.RunFailed;
import dev.ferry.schemas.avro.StepKind;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.StepStatus;
import dev.ferry.schemas.avro.WorkerReport;
import dev.ferry.workflows.Durations;
import dev.ferry.workflows.NonDeterminismError;
import dev.ferry.workflows.Rollback;
import dev.ferry.workflows.StepCallable;
import dev.ferry.workflows.StepConfig;
import dev.ferry.workflows.StepContext;
import dev.ferry.workflows.StepFunction;
import dev.ferry.workflows.StepLimitError;
import dev.ferry.workflows.WaitOptions;
import dev.ferry.workflows.WorkflowEntrypoint;
import dev.ferry.workflows.WorkflowEvent;
import dev.ferry.workflows.WorkflowSchedule;
import dev.ferry.workflows.WorkflowStep;
import dev.ferry.workflows.WorkflowStepError;
import dev.ferry.workflows.WorkflowStepEvent;
import dev.ferry.workflows.WorkflowTimeoutError;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one activation: the workflow from the top, with recorded steps answered from the history and
 * new steps executed and reported one by one, without waiting for the orchestrator. The run ends at
 * the first thing that needs waiting (sleep, retry delay) or when {@code run} returns or throws.
 */
public final class ActivationRun implements WorkflowStep {
  /** The step whose body runs on this thread, if any: its body may not call the step API. */
  private static final ThreadLocal<String> INSIDE_STEP = new ThreadLocal<>();

  private static final Logger LOG = LoggerFactory.getLogger(ActivationRun.class);
  static final long MAX_SLEEP_MS = Limits.MAX_SLEEP.toMillis();

  private final Activation activation;
  private final WorkflowEntrypoint<?, ?> workflow;
  private final ReportSink sink;
  private final StepExecutor executor;
  private final StepValues values;
  private final Clock clock;
  private final String workerId;

  /** Step changes not yet sent; they go out together at the next flush. */
  private final List<StepRecord> unsent = new ArrayList<>();

  private final Duration flushAfter;
  private final StepOverride override;
  private final Map<StepKey, StepRecord> history = new ConcurrentHashMap<>();
  private final Rollbacks rollbacks = new Rollbacks();

  /** The history as this run sees it: the activation's, with what the run recorded laid over. */
  private final Map<Integer, StepRecord> byPosition = new ConcurrentHashMap<>();

  /** Estimated size of {@link #unsent}: a report carries at most about one page of entries. */
  private long unsentChars;

  /** Steps of any kind met so far in this run: the position the next one must have. */
  private int encountered;

  /** {@code run} steps met so far, recorded or not: what the step limit counts. */
  private int stepsCalled;

  private final Map<String, Integer> counts = new HashMap<>();
  private volatile StepRecord inFlight;
  private volatile long lastReportAt;
  private volatile boolean cancelled;

  /** Set by a pause control record: stop before the next step and say so. */
  private volatile boolean pauseRequested;

  private boolean stoppedForPause;

  private final WorkerMetrics metrics;

  public ActivationRun(
      Activation activation,
      WorkflowEntrypoint<?, ?> workflow,
      ReportSink sink,
      StepExecutor executor,
      StepValues values,
      Clock clock,
      String workerId,
      Duration flushAfter) {
    this(
        activation,
        workflow,
        sink,
        executor,
        values,
        clock,
        workerId,
        flushAfter,
        StepOverride.NONE,
        WorkerMetrics.none());
  }

  public ActivationRun(
      Activation activation,
      WorkflowEntrypoint<?, ?> workflow,
      ReportSink sink,
      StepExecutor executor,
      StepValues values,
      Clock clock,
      String workerId,
      Duration flushAfter,
      StepOverride override,
      WorkerMetrics metrics) {
    this.override = override;
    this.metrics = metrics;
    this.flushAfter = flushAfter;
    this.activation = activation;
    this.workflow = workflow;
    this.sink = sink;
    this.executor = executor;
    this.values = values;
    this.clock = clock;
    this.workerId = workerId;
    for (StepRecord record : activation.getHistory()) {
      history.put(StepKey.of(record), record);
      byPosition.put(record.getPosition(), record);
    }
    this.lastReportAt = clock.millis();
  }

  public Activation activation() {
    return activation;
  }

  /** The history as it stands in this run: what the worker keeps for the next activation. */
  public java.util.Collection<StepRecord> view() {
    return byPosition.values();
  }

  /** The attempt running now, if any (sent with heartbeats so a lost worker's attempt counts). */
  public Optional<StepRecord> inFlight() {
    return Optional.ofNullable(inFlight);
  }

  public long lastReportAt() {
    return lastReportAt;
  }

  /** Asks the run to stop before its next step (a newer activation took over, or terminate). */
  public void cancel() {
    cancelled = true;
  }

  /** Asks the run to stop before its next step and report that it stopped (pause). */
  public void pause() {
    pauseRequested = true;
  }

  /** Sends what is batched, with the attempt running now; keeps a slow activation's lease. */
  public void heartbeat() {
    flush(null, true, false);
  }

  /** Runs the workflow until it finishes or must wait; reports everything it does. */
  public void execute() {
    try (LogContext.Scope log =
        LogContext.instance(
            InstanceKey.of(
                    activation.getAccount(), activation.getWorkflow(), activation.getInstanceId())
                .toString())) {
      executeRun();
    }
  }

  private void executeRun() {
    try {
      Object params;
      try {
        params = values.decode(activation.getParams(), workflow.paramsType());
      } catch (Exception e) {
        flush(
            new RunFailed(
                new ErrorInfo(
                    dev.ferry.schemas.ErrorNames.INVALID_PARAMS,
                    "params do not fit "
                        + workflow.paramsType().getTypeName()
                        + ": "
                        + e.getMessage()),
                null),
            false,
            false);
        return;
      }
      Optional<WorkflowSchedule> schedule =
          Optional.ofNullable(activation.getSchedule())
              .map(
                  s ->
                      new WorkflowSchedule(
                          s.getCron(), Instant.ofEpochMilli(s.getScheduledTime())));
      @SuppressWarnings({"unchecked", "rawtypes"})
      WorkflowEvent event =
          new WorkflowEvent(
              params,
              Instant.ofEpochMilli(activation.getCreatedAt()),
              activation.getInstanceId(),
              activation.getWorkflow(),
              schedule);
      @SuppressWarnings({"unchecked", "rawtypes"})
      Object output = ((WorkflowEntrypoint) workflow).run(event, this);
      if (activation.getRollback()) {
        flush(new RolledBack(rollBack()), false, false);
        return;
      }
      String json;
      try {
        json = values.encode(output);
      } catch (Exception | StackOverflowError unwritable) {
        flush(
            new RunFailed(
                new ErrorInfo(
                    Errors.INTERNAL,
                    RecordSizes.cutMessage(
                        "The workflow's output cannot be written as JSON: " + unwritable)),
                null),
            false,
            false);
        return;
      }
      if (json != null && !Limits.fitsPayload(json)) {
        // A report that large could not be delivered: the run would be retried forever.
        flush(
            new RunFailed(
                new ErrorInfo(
                    Errors.INTERNAL,
                    "The workflow's output is too large. Maximum allowed size is 1MiB."),
                null),
            false,
            false);
        return;
      }
      flush(new RunCompleted(json, true), false, false);
    } catch (RollbackPoint point) {
      flush(new RolledBack(rollBack()), false, false);
    } catch (Suspension suspended) {
      flush(null, false, stoppedForPause);
      LOG.debug(
          "activation {} of {} suspended: {}",
          activation.getToken(),
          key(),
          suspended.getMessage());
    } catch (Throwable error) {
      if (activation.getRollback()) {
        flush(new RolledBack(rollBack()), false, false);
      } else if (!rollbacks.isEmpty() && !(error instanceof NonDeterminismError)) {
        flush(new RunFailed(Errors.info(error), rollBack()), false, false);
      } else {
        flush(new RunFailed(Errors.info(error), null), false, false);
      }
    }
  }

  /** Runs the registered rollback handlers, newest step first, recording each run. */
  private RollbackOutcome rollBack() {
    Map<String, StepRecord> done = new HashMap<>();
    int next = 0;
    for (StepRecord record : history.values()) {
      next = Math.max(next, record.getPosition() + 1);
      if (record.getKind() == StepKind.ROLLBACK) {
        done.put(record.getName() + "#" + record.getCount(), record);
      }
    }
    return rollbacks.run(done, this::record, Math.max(next, encountered), executor, clock);
  }

  @Override
  public <T> T run(String name, StepCallable<T> body) {
    return runStep(name, StepConfig.defaults(), ctx -> body.call());
  }

  @Override
  public <T> T run(String name, StepFunction<T> body) {
    return runStep(name, StepConfig.defaults(), body);
  }

  @Override
  public <T> T run(String name, StepConfig config, StepCallable<T> body) {
    return runStep(name, config, ctx -> body.call());
  }

  @Override
  public <T> T run(String name, StepConfig config, StepFunction<T> body) {
    return runStep(name, config, body);
  }

  @Override
  public <T> T run(String name, StepConfig config, StepFunction<T> body, Rollback<T> rollback) {
    return prepare(name, config, body, false, rollback).run();
  }

  @Override
  public <T> CompletableFuture<T> runAsync(String name, StepCallable<T> body) {
    return runAsync(name, StepConfig.defaults(), ctx -> body.call());
  }

  @Override
  public <T> CompletableFuture<T> runAsync(String name, StepConfig config, StepFunction<T> body) {
    StepWork<T> work = prepare(name, config, body, true, null);
    return CompletableFuture.supplyAsync(work::run, Branches.POOL);
  }

  @Override
  public <T> List<T> all(List<? extends CompletableFuture<? extends T>> branches) {
    List<T> results = new ArrayList<>(branches.size());
    Throwable first = null;
    Suspension suspended = null;
    for (CompletableFuture<? extends T> branch : branches) {
      try {
        results.add(branch.join()); // waits for every branch, even after one failed
      } catch (CompletionException | CancellationException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        if (cause instanceof Suspension suspension) {
          suspended = suspension;
        } else if (first == null) {
          first = cause;
        }
        results.add(null);
      }
    }
    if (suspended != null) {
      throw suspended; // run the rest after the wait, as one more activation
    }
    if (first instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (first instanceof Error error) {
      throw error;
    }
    if (first != null) {
      throw new WorkflowStepError(
          first.getClass().getSimpleName(), String.valueOf(first.getMessage()), first);
    }
    return results;
  }

  @Override
  public <T> T await(CompletableFuture<T> branch) {
    return all(List.of(branch)).get(0);
  }

  @Override
  public void sleep(String name, String duration) {
    sleep(name, Durations.parse(duration));
  }

  @Override
  public void sleep(String name, long millis) {
    sleep(name, Durations.ofMillis(millis));
  }

  @Override
  public void sleep(String name, Duration duration) {
    if (duration.isNegative() || duration.toMillis() > MAX_SLEEP_MS) {
      throw new IllegalArgumentException(
          "sleep \"" + name + "\" must be 0..365 days, got " + duration);
    }
    sleepFor(name, null, duration.toMillis());
  }

  @Override
  public void sleepUntil(String name, Instant until) {
    if (until.toEpochMilli() - clock.millis() > MAX_SLEEP_MS) {
      throw new IllegalArgumentException(
          "sleepUntil \"" + name + "\" must be at most 365 days ahead, got " + until);
    }
    sleepFor(name, Math.max(clock.millis(), until.toEpochMilli()), null);
  }

  @Override
  public <T> WorkflowStepEvent<T> waitForEvent(
      String name, WaitOptions options, Class<T> payloadType) {
    checkStepName(name);
    StepKey key = nextKey(StepKind.WAIT_FOR_EVENT, name);
    StepRecord recorded = checkDeterministic(key);
    if (recorded != null) {
      switch (recorded.getStatus()) {
        case RECEIVED -> {
          try {
            T payload = values.mapper().readValue(recorded.getOutput(), payloadType);
            long sent =
                recorded.getEventTimestamp() == null
                    ? recorded.getEndedAt()
                    : recorded.getEventTimestamp();
            return new WorkflowStepEvent<>(
                payload, Instant.ofEpochMilli(sent), recorded.getEventType());
          } catch (Exception e) {
            throw new IllegalStateException(
                "event for \"" + name + "\" does not fit " + payloadType.getName() + ": " + e, e);
          }
        }
        case TIMED_OUT -> throw new WorkflowTimeoutError(recorded.getError().getMessage());
        default -> throw stopAt("still waiting in " + name);
      }
    }
    checkMayStart();
    record(
        StepRecord.newBuilder()
            .setPosition(newPosition())
            .setKind(StepKind.WAIT_FOR_EVENT)
            .setName(name)
            .setCount(key.count())
            .setStatus(StepStatus.WAITING)
            .setStartedAt(clock.millis())
            .setEventType(options.type())
            .setDurationMs(options.timeout().toMillis()) // the orchestrator sets the wake time
            .build());
    throw new Suspension("waiting for " + options.type() + " in " + name);
  }

  /**
   * A sleep until {@code wakeAt}, or for {@code durationMs}: the orchestrator sets the wake time of
   * a sleep of a fixed length by its own clock when it records it.
   */
  private void sleepFor(String name, Long wakeAt, Long durationMs) {
    StepKey key = nextKey(StepKind.SLEEP, name);
    StepRecord recorded = checkDeterministic(key);
    if (recorded != null) {
      if (recorded.getStatus() == StepStatus.SLEPT) {
        return;
      }
      throw stopAt("still sleeping in " + name);
    }
    checkMayStart();
    StepRecord sleeping =
        StepRecord.newBuilder()
            .setPosition(newPosition())
            .setKind(StepKind.SLEEP)
            .setName(name)
            .setCount(key.count())
            .setStatus(StepStatus.SLEEPING)
            .setStartedAt(clock.millis())
            .setWakeAt(wakeAt)
            .setDurationMs(durationMs)
            .build();
    record(sleeping);
    throw new Suspension("sleeping in " + name);
  }

  private <T> T runStep(String name, StepConfig config, StepFunction<T> body) {
    return prepare(name, config, body, false, null).run();
  }

  /**
   * A parallel branch whose retry is due later than this by more than this is not attempted yet;
   * sequential steps never wait here (their activation exists because their timer fired).
   */
  static final long RETRY_TOLERANCE_MS = 100;

  /** What is left to do for a step once its identity is known: replay it or run attempts. */
  @FunctionalInterface
  private interface StepWork<T> {
    T run();
  }

  /**
   * The part of a step that must happen on the workflow's own thread, in code order: its identity,
   * position and replay decision. Running the attempt may then happen on another thread.
   */
  private <T> StepWork<T> prepare(
      String name,
      StepConfig config,
      StepFunction<T> body,
      boolean parallel,
      Rollback<T> rollback) {
    checkStepName(name);
    StepKey key = nextKey(StepKind.DO, name);
    if (++stepsCalled > activation.getMaxSteps()) {
      throw new StepLimitError(activation.getMaxSteps());
    }
    StepRecord recorded = checkDeterministic(key);
    int position = recorded == null ? newPosition() : recorded.getPosition();
    if (activation.getRollback() && recorded == null) {
      throw new RollbackPoint(); // never started: nothing to undo, and nothing new runs now
    }
    if (rollback != null) {
      rollbacks.register(position, name, key.count(), rollback);
    }
    if (recorded != null && recorded.getStatus() == StepStatus.SUCCEEDED) {
      T value = replayResult(recorded);
      rollbacks.succeeded(position, value);
      return () -> value;
    }
    if (recorded != null && recorded.getStatus() == StepStatus.FAILED) {
      rollbacks.failed(position, recorded.getError());
      return () -> {
        throw Errors.stepFailure(recorded.getError(), null);
      };
    }
    if (activation.getRollback()) {
      throw new RollbackPoint(); // started but unfinished: its handler runs, with no output
    }
    if (parallel
        && recorded != null
        && recorded.getStatus() == StepStatus.RETRY_WAIT
        && recorded.getWakeAt() != null
        && recorded.getWakeAt() > clock.millis() + RETRY_TOLERANCE_MS) {
      // A parallel step whose retry is not due yet: report it again so its timer is set.
      return () -> {
        record(recorded);
        throw new Suspension("retry of " + name + " not due yet");
      };
    }
    checkNotCancelled();
    return () -> attempt(name, key, config, body, recorded, position);
  }

  private <T> T attempt(
      String name,
      StepKey key,
      StepConfig config,
      StepFunction<T> body,
      StepRecord recorded,
      int position) {
    ResolvedStepConfig resolved =
        recorded != null && recorded.getConfig() != null
            ? recorded.getConfig()
            : StepConfigs.resolve(config);
    StepConfig effective = StepConfigs.effective(resolved, config);
    List<Attempt> attempts =
        recorded == null ? new ArrayList<>() : new ArrayList<>(recorded.getAttempts());
    StepRecord.Builder step =
        StepRecord.newBuilder()
            .setPosition(position)
            .setKind(StepKind.DO)
            .setName(name)
            .setCount(key.count())
            .setStartedAt(recorded == null ? clock.millis() : recorded.getStartedAt())
            .setConfig(resolved)
            .setAttempts(attempts);
    int attemptNumber = attempts.size() + 1;
    if (attemptNumber > resolved.getRetryLimit() + 1) {
      // The last allowed attempt was lost with its worker: the step has failed.
      ErrorInfo last = attempts.get(attempts.size() - 1).getError();
      return fail(step, last, null);
    }
    Attempt attempt = new Attempt(attemptNumber, clock.millis(), null, null, null);
    attempts.add(attempt);
    inFlight = step.setStatus(StepStatus.RUNNING).build();
    StepContext context = new Context(name, key.count(), attemptNumber, effective);
    StepFunction<T> toRun = override.apply(name, key.count(), body);
    T result;
    try (LogContext.Scope log = LogContext.step(name, key.count(), attemptNumber)) {
      result =
          executor.call(
              () -> {
                INSIDE_STEP.set(name);
                try {
                  return toRun.apply(context);
                } finally {
                  INSIDE_STEP.remove();
                }
              },
              effective.timeout(),
              flushAfter,
              this::heartbeat);
    } catch (Suspension nested) {
      throw nested;
    } catch (Throwable error) {
      inFlight = null;
      ErrorInfo info = Errors.info(error);
      finish(attempt, false, info);
      boolean retryable = !(error instanceof dev.ferry.workflows.NonRetryableError);
      if (!retryable || attemptNumber >= resolved.getRetryLimit() + 1) {
        return fail(step, info, error);
      }
      long delay;
      try {
        delay = StepConfigs.retryDelayMillis(effective, context, error, attemptNumber);
      } catch (RuntimeException invalid) {
        return fail(step, Errors.info(invalid), invalid);
      }
      // A fixed delay is the orchestrator's to schedule (WakeTimes); a delay function's result
      // only this worker knows.
      boolean dynamic = resolved.getRetryDelayMs() == StepConfigs.DYNAMIC_DELAY;
      record(
          step.setStatus(StepStatus.RETRY_WAIT)
              .setError(info)
              .setWakeAt(dynamic ? clock.millis() + delay : null)
              .build());
      throw new Suspension("retry of " + name + " due in " + delay + " ms");
    }
    inFlight = null;
    String json;
    try {
      json = values.encode(result);
    } catch (Exception | StackOverflowError notSerialisable) {
      ErrorInfo info =
          new ErrorInfo(
              Errors.INTERNAL,
              "The execution of the Workflow instance was terminated, as the step \""
                  + name
                  + "\" returned a value which is not serialisable");
      finish(attempt, false, info);
      return fail(step, info, null);
    }
    if (!Limits.fitsPayload(json)) {
      ErrorInfo info =
          new ErrorInfo(
              Errors.INTERNAL,
              "Step "
                  + name
                  + "-"
                  + key.count()
                  + " output is too large. Maximum allowed size is 1MiB.");
      finish(attempt, false, info);
      return fail(step, info, null);
    }
    finish(attempt, true, null);
    record(
        step.setStatus(StepStatus.SUCCEEDED)
            .setEndedAt(attempt.getEndedAt())
            .setOutput(json)
            .setOutputType(StepValues.typeOf(result))
            .build());
    rollbacks.succeeded(position, result);
    return result;
  }

  private <T> T fail(StepRecord.Builder step, ErrorInfo info, Throwable original) {
    rollbacks.failed(step.getPosition(), info);
    record(step.setStatus(StepStatus.FAILED).setEndedAt(clock.millis()).setError(info).build());
    throw Errors.stepFailure(info, original);
  }

  private void finish(Attempt attempt, boolean success, ErrorInfo error) {
    attempt.setEndedAt(clock.millis());
    attempt.setSuccess(success);
    attempt.setError(error);
    metrics.attemptFinished(
        activation.getWorkflow(),
        success,
        Duration.ofMillis(attempt.getEndedAt() - attempt.getStartedAt()));
  }

  @SuppressWarnings("unchecked")
  private <T> T replayResult(StepRecord recorded) {
    try {
      return (T) values.decode(recorded.getOutput(), recorded.getOutputType(), workflow.getClass());
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot decode the recorded result of step \"" + recorded.getName() + "\": " + e, e);
    }
  }

  private void record(StepRecord step) {
    history.put(StepKey.of(step), step);
    byPosition.put(step.getPosition(), step);
    long size = RecordSizes.estimate(step);
    synchronized (unsent) {
      if (!unsent.isEmpty() && unsentChars + size > RecordSizes.PAGE_CHARS) {
        flush(null, false, false); // what came before goes first, so no report outgrows a page
      }
      unsent.add(step);
      unsentChars += size;
    }
    if (flushAfter.isZero()) {
      flush(null, false, false);
    }
  }

  /**
   * Sends the batched step changes with an optional outcome. Called by the activation thread and
   * the heartbeat thread; the lock keeps reports in order.
   */
  private void flush(Object outcome, boolean heartbeat, boolean stopped) {
    synchronized (unsent) {
      if (unsent.isEmpty() && outcome == null && !heartbeat && !stopped) {
        return;
      }
      lastReportAt = clock.millis();
      sink.send(
          new WorkerReport(
              activation.getAccount(),
              activation.getWorkflow(),
              activation.getInstanceId(),
              activation.getToken(),
              workerId,
              lastReportAt,
              List.copyOf(unsent),
              heartbeat ? inFlight : null,
              outcome,
              stopped,
              null));
      unsent.clear();
      unsentChars = 0;
    }
  }

  /**
   * The recorded entry for this step, after checking that the history has this very step (kind and
   * name) at the position the code reached; anything else means the code changed its path.
   */
  private StepRecord checkDeterministic(StepKey key) {
    int position = encountered++;
    StepRecord atPosition = byPosition.get(position);
    StepRecord recorded = history.get(key);
    if (atPosition != null
        && (atPosition.getKind() != key.kind() || !atPosition.getName().equals(key.name()))) {
      throw new NonDeterminismError(
          "step "
              + (position + 1)
              + " was recorded as "
              + describe(atPosition.getKind(), atPosition.getName())
              + " but the workflow now asks for "
              + describe(key.kind(), key.name())
              + "; code outside steps must be deterministic");
    }
    if (recorded != null && recorded.getPosition() != position) {
      throw new NonDeterminismError(
          describe(key.kind(), key.name())
              + " was recorded as step "
              + (recorded.getPosition() + 1)
              + " but the workflow now reaches it as step "
              + (position + 1));
    }
    return recorded;
  }

  /** Position of a step met for the first time: where the code reached it. */
  private int newPosition() {
    return encountered - 1;
  }

  private static String describe(StepKind kind, String name) {
    return dev.ferry.schemas.StepKinds.name(kind) + " \"" + name + "\"";
  }

  private StepKey nextKey(StepKind kind, String name) {
    String outer = INSIDE_STEP.get();
    if (outer != null) {
      // The body runs on a thread of its own, with no place in the run's order: a step inside it
      // could not be replayed. Not retried: every attempt would do the same.
      throw new dev.ferry.workflows.NonRetryableError(
          "step \""
              + name
              + "\" was called inside step \""
              + outer
              + "\": steps cannot be nested; call them one after another in run()");
    }
    int count = counts.merge(kind + ":" + name, 1, Integer::sum);
    return new StepKey(kind, name, count);
  }

  /** An unfinished wait: a rollback replay stops here for the handlers, a normal run waits. */
  private Error stopAt(String reason) {
    return activation.getRollback() ? new RollbackPoint() : new Suspension(reason);
  }

  /** Before something new starts: not in a rollback replay, not after cancel or pause. */
  private void checkMayStart() {
    if (activation.getRollback()) {
      throw new RollbackPoint();
    }
    checkNotCancelled();
  }

  private void checkNotCancelled() {
    if (cancelled) {
      throw new Suspension(
          "activation " + activation.getToken() + " of " + key() + " was cancelled");
    }
    if (pauseRequested) {
      stoppedForPause = true;
      throw new Suspension(key() + " was paused");
    }
  }

  private static void checkStepName(String name) {
    if (name == null
        || name.isEmpty()
        || name.length() > 256
        || name.chars().anyMatch(c -> c < 0x20)) {
      throw new IllegalArgumentException(
          "step name \"" + name + "\" must be 1..256 characters without control characters");
    }
  }

  private String key() {
    return dev.ferry.schemas.InstanceKey.of(
            activation.getAccount(), activation.getWorkflow(), activation.getInstanceId())
        .toString();
  }

  private record Context(String name, int count, int attempt, StepConfig config)
      implements StepContext {}
}
