package dev.ferry.worker.internal;

import dev.ferry.schemas.avro.Attempt;
import dev.ferry.schemas.avro.ErrorInfo;
import dev.ferry.schemas.avro.RollbackOutcome;
import dev.ferry.schemas.avro.StepKind;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.StepStatus;
import dev.ferry.workflows.NonRetryableError;
import dev.ferry.workflows.Rollback;
import dev.ferry.workflows.RollbackContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The rollback handlers a run registered, and running them: newest step first, each as a recorded
 * {@code rollback} step, so a handler that succeeded is not run again after a crash. The first
 * handler that fails for good ends the rollback as failed.
 */
final class Rollbacks {
  /** A step's handler with what the step produced. */
  private record Registered(
      int position,
      String name,
      int count,
      Rollback<Object> rollback,
      Object output,
      ErrorInfo error) {}

  private final Map<Integer, Registered> byPosition = new ConcurrentHashMap<>();

  @SuppressWarnings("unchecked")
  <T> void register(int position, String name, int count, Rollback<T> rollback) {
    byPosition.put(
        position, new Registered(position, name, count, (Rollback<Object>) rollback, null, null));
  }

  void succeeded(int position, Object output) {
    byPosition.computeIfPresent(
        position, (p, r) -> new Registered(p, r.name(), r.count(), r.rollback(), output, null));
  }

  void failed(int position, ErrorInfo error) {
    byPosition.computeIfPresent(
        position, (p, r) -> new Registered(p, r.name(), r.count(), r.rollback(), null, error));
  }

  boolean isEmpty() {
    return byPosition.isEmpty();
  }

  /**
   * Runs the handlers, newest first. {@code recorded} finds an earlier record of a handler's run;
   * {@code record} stores a new one; {@code nextPosition} is where the first new record goes.
   */
  RollbackOutcome run(
      Map<String, StepRecord> recorded,
      Consumer<StepRecord> record,
      int nextPosition,
      StepExecutor executor,
      Clock clock) {
    List<Registered> newestFirst = new ArrayList<>(byPosition.values());
    newestFirst.sort(Comparator.comparingInt(Registered::position).reversed());
    int position = nextPosition;
    for (Registered step : newestFirst) {
      StepRecord done = recorded.get(step.name() + "#" + step.count());
      if (done != null && done.getStatus() == StepStatus.SUCCEEDED) {
        continue;
      }
      if (done != null && done.getStatus() == StepStatus.FAILED) {
        return new RollbackOutcome(false, done.getError());
      }
      StepRecord result = undo(step, position++, executor, clock);
      record.accept(result);
      if (result.getStatus() == StepStatus.FAILED) {
        return new RollbackOutcome(false, result.getError());
      }
    }
    return new RollbackOutcome(true, null);
  }

  /** Runs one handler with its retries; waits between attempts happen here, not as timers. */
  private static StepRecord undo(
      Registered step, int position, StepExecutor executor, Clock clock) {
    var config = step.rollback().config();
    List<Attempt> attempts = new ArrayList<>();
    long started = clock.millis();
    for (int attempt = 1; ; attempt++) {
      long attemptStart = clock.millis();
      RollbackContext<Object> context =
          new RollbackContext<>(
              step.name(),
              step.count(),
              step.output(),
              step.error() == null ? null : step.error().getName(),
              step.error() == null ? null : step.error().getMessage(),
              attempt);
      try {
        executor.call(
            () -> {
              step.rollback().handler().undo(context);
              return null;
            },
            config.timeout());
        attempts.add(new Attempt(attempt, attemptStart, clock.millis(), true, null));
        return record(
            step, position, started, clock.millis(), StepStatus.SUCCEEDED, attempts, null);
      } catch (Exception error) {
        ErrorInfo info = Errors.info(error);
        attempts.add(new Attempt(attempt, attemptStart, clock.millis(), false, info));
        if (error instanceof NonRetryableError || attempt > config.retryLimit()) {
          return record(step, position, started, clock.millis(), StepStatus.FAILED, attempts, info);
        }
        long wait =
            config.backoff().delayMillis(config.retryDelay().orElseThrow().toMillis(), attempt);
        try {
          Thread.sleep(Math.min(wait, 60_000));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return record(step, position, started, clock.millis(), StepStatus.FAILED, attempts, info);
        }
      }
    }
  }

  private static StepRecord record(
      Registered step,
      int position,
      long started,
      long ended,
      StepStatus status,
      List<Attempt> attempts,
      ErrorInfo error) {
    return StepRecord.newBuilder()
        .setPosition(position)
        .setKind(StepKind.ROLLBACK)
        .setName(step.name())
        .setCount(step.count())
        .setStatus(status)
        .setStartedAt(started)
        .setEndedAt(ended)
        .setAttempts(attempts)
        .setError(error)
        .build();
  }
}
