package dev.ferry.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.schemas.avro.Activation;
import dev.ferry.schemas.avro.RunCompleted;
import dev.ferry.schemas.avro.RunFailed;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.StepStatus;
import dev.ferry.schemas.avro.WorkerReport;
import dev.ferry.workflows.Backoff;
import dev.ferry.workflows.NonRetryableError;
import dev.ferry.workflows.Rollback;
import dev.ferry.workflows.StepConfig;
import dev.ferry.workflows.WaitOptions;
import dev.ferry.workflows.WorkflowEntrypoint;
import dev.ferry.workflows.WorkflowEvent;
import dev.ferry.workflows.WorkflowStep;
import dev.ferry.workflows.WorkflowStepError;
import dev.ferry.workflows.WorkflowTimeoutError;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ActivationRunTest {
  private static final long NOW = 1_700_000_000_000L;
  private final Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
  private final StepExecutor executor = new StepExecutor();
  private final List<WorkerReport> reports = new ArrayList<>();

  public record Params(int start) {}

  public record Total(int value) {}

  static final AtomicInteger EXECUTIONS = new AtomicInteger();

  public static final class ThreeSteps extends WorkflowEntrypoint<Params, Total> {
    @Override
    public Total run(WorkflowEvent<Params> event, WorkflowStep step) {
      Total a =
          step.run(
              "a",
              () -> {
                EXECUTIONS.incrementAndGet();
                return new Total(event.payload().start() + 1);
              });
      step.sleep("nap", "1 hour");
      Total b =
          step.run(
              "b",
              () -> {
                EXECUTIONS.incrementAndGet();
                return new Total(a.value() * 10);
              });
      return b;
    }
  }

  public static final class Flaky extends WorkflowEntrypoint<Params, String> {
    @Override
    public String run(WorkflowEvent<Params> event, WorkflowStep step) {
      return step.run(
          "flaky",
          StepConfig.retries(2, "1 second", Backoff.LINEAR),
          ctx -> {
            throw new IllegalStateException("boom " + ctx.attempt());
          });
    }
  }

  public static final class CatchesNonRetryable extends WorkflowEntrypoint<Params, String> {
    @Override
    public String run(WorkflowEvent<Params> event, WorkflowStep step) {
      try {
        step.run(
            "refuse",
            () -> {
              throw new NonRetryableError("no way");
            });
        return "unreachable";
      } catch (NonRetryableError e) {
        return step.run("recover", () -> "recovered from " + e.getMessage());
      }
    }
  }

  /** Thirty steps whose results are near the 1 MiB limit, then a sleep. */
  public static final class LargeResults extends WorkflowEntrypoint<Params, String> {
    @Override
    public String run(WorkflowEvent<Params> event, WorkflowStep step) {
      for (int i = 0; i < 30; i++) {
        step.run("big " + i, () -> "y".repeat(dev.ferry.schemas.Limits.MAX_PAYLOAD_BYTES - 100));
      }
      step.sleep("nap", "1 hour");
      return "done";
    }
  }

  /** Returns a value over the 1 MiB limit from run() itself, not from a step. */
  public static final class HugeOutput extends WorkflowEntrypoint<Params, String> {
    @Override
    public String run(WorkflowEvent<Params> event, WorkflowStep step) {
      return "z".repeat(dev.ferry.schemas.Limits.MAX_PAYLOAD_BYTES + 1);
    }
  }

  @AfterEach
  void stop() {
    executor.close();
  }

  @Test
  void shouldRunStepsUntilSleepAndReportEachWithoutWaiting() {
    EXECUTIONS.set(0);
    run(new ThreeSteps(), activation(List.of()));

    assertThat(reports).hasSize(1); // both changes travel in one report
    StepRecord a = step(0);
    assertThat(a.getStatus()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(a.getOutput()).isEqualTo("{\"value\":2}");
    assertThat(a.getAttempts()).hasSize(1);
    StepRecord nap = step(1);
    assertThat(nap.getStatus()).isEqualTo(StepStatus.SLEEPING);
    // A sleep of a fixed length: the orchestrator sets the wake time when it records it.
    assertThat(nap.getWakeAt()).isNull();
    assertThat(nap.getDurationMs()).isEqualTo(3_600_000);
    assertThat(EXECUTIONS).hasValue(1);
  }

  @Test
  void shouldFailTheRunWhoseOutputIsOverTheLimitInsteadOfSendingIt() {
    run(new HugeOutput(), activation(List.of()));

    RunFailed failed = (RunFailed) outcome();
    assertThat(failed.getError().getName()).isEqualTo("WorkflowInternalError");
    assertThat(failed.getError().getMessage())
        .isEqualTo("The workflow's output is too large. Maximum allowed size is 1MiB.");
  }

  @Test
  void shouldSendLargeResultsInReportsOfAboutOnePageEachWhateverTheirNumber() {
    run(new LargeResults(), activation(List.of()));

    assertThat(steps()).hasSize(31);
    assertThat(reports).hasSizeGreaterThanOrEqualTo(30);
    // A report holds one page of entries, or a single entry that is larger by itself.
    assertThat(reports)
        .allSatisfy(
            report ->
                assertThat(
                        report.getSteps().size() == 1
                            || report.getSteps().stream()
                                    .mapToLong(dev.ferry.schemas.RecordSizes::estimate)
                                    .sum()
                                <= dev.ferry.schemas.RecordSizes.PAGE_CHARS)
                    .isTrue());
  }

  @Test
  void shouldReplayRecordedStepsWithoutRunningThemAndReturnSameType() {
    EXECUTIONS.set(0);
    run(new ThreeSteps(), activation(List.of()));
    StepRecord a = step(0);
    StepRecord slept = StepRecord.newBuilder(step(1)).setStatus(StepStatus.SLEPT).build();
    reports.clear();

    run(new ThreeSteps(), activation(List.of(a, slept)));

    assertThat(EXECUTIONS).hasValue(2); // only "b" ran the second time
    assertThat(step(0).getName()).isEqualTo("b");
    assertThat(step(0).getPosition()).isEqualTo(2);
    assertThat(((RunCompleted) outcome()).getOutput()).isEqualTo("{\"value\":20}");
  }

  @Test
  void shouldSuspendForRetryWithBackoffDelayAndFailAfterLimit() {
    run(new Flaky(), activation(List.of()));
    StepRecord first = step(0);
    assertThat(first.getStatus()).isEqualTo(StepStatus.RETRY_WAIT);
    // A fixed delay is left to the orchestrator, which schedules it from the pinned config.
    assertThat(first.getWakeAt()).isNull();
    assertThat(dev.ferry.schemas.WakeTimes.complete(first, NOW).getWakeAt())
        .isEqualTo(NOW + 1000); // linear: 1 s * 1 attempt
    assertThat(steps()).hasSize(1);

    reports.clear();
    run(new Flaky(), activation(List.of(first)));
    StepRecord second = step(0);
    assertThat(second.getAttempts()).hasSize(2);
    assertThat(dev.ferry.schemas.WakeTimes.complete(second, NOW).getWakeAt())
        .isEqualTo(NOW + 2000); // linear: 1 s * 2 attempts

    reports.clear();
    run(new Flaky(), activation(List.of(second)));
    StepRecord third = step(0);
    assertThat(third.getStatus()).isEqualTo(StepStatus.FAILED);
    assertThat(third.getAttempts()).hasSize(3);
    assertThat(third.getError().getMessage()).isEqualTo("boom 3");
    RunFailed failed = (RunFailed) outcome();
    assertThat(failed.getError().getName()).isEqualTo("IllegalStateException");
  }

  @Test
  void shouldNotRetryNonRetryableErrorAndLetWorkflowCatchIt() {
    run(new CatchesNonRetryable(), activation(List.of()));

    StepRecord refused = step(0);
    assertThat(refused.getStatus()).isEqualTo(StepStatus.FAILED);
    assertThat(refused.getAttempts()).hasSize(1);
    assertThat(((RunCompleted) outcome()).getOutput()).isEqualTo("\"recovered from no way\"");
  }

  @Test
  void shouldRethrowRecordedFailureOnReplay() {
    run(new CatchesNonRetryable(), activation(List.of()));
    StepRecord refused = step(0);
    reports.clear();

    run(new CatchesNonRetryable(), activation(List.of(refused)));

    assertThat(step(0).getName()).isEqualTo("recover");
  }

  /** Its second step finishes only once the first step's outcome has been sent. */
  public static final class FastThenSlow extends WorkflowEntrypoint<Params, String> {
    static final CountDownLatch FIRST_SENT = new CountDownLatch(1);

    @Override
    public String run(WorkflowEvent<Params> event, WorkflowStep step) {
      step.run("fast", () -> 1);
      return step.run(
          "slow",
          StepConfig.retries(0).timeout("5 seconds"),
          () -> FIRST_SENT.await(5, TimeUnit.SECONDS) ? "late" : "never flushed");
    }
  }

  @Test
  void shouldSendEarlierStepsBeforeAStepThatRunsLongerThanFlushInterval() {
    new ActivationRun(
            activation(List.of()),
            new FastThenSlow(),
            report -> {
              reports.add(report);
              FastThenSlow.FIRST_SENT.countDown();
            },
            executor,
            new StepValues(),
            clock,
            "w1",
            java.time.Duration.ofMillis(20))
        .execute();

    assertThat(reports).hasSize(2);
    assertThat(reports.get(0).getSteps()).extracting(StepRecord::getName).containsExactly("fast");
    assertThat(reports.get(0).getInFlight().getName()).isEqualTo("slow");
    assertThat(reports.get(1).getSteps()).extracting(StepRecord::getName).containsExactly("slow");
    assertThat(((RunCompleted) reports.get(1).getOutcome()).getOutput()).isEqualTo("\"late\"");
  }

  @Test
  void shouldFailAttemptThatRunsPastItsTimeoutAndRetryIt() {
    var stuck =
        new WorkflowEntrypoint<Params, String>() {
          @Override
          public String run(WorkflowEvent<Params> event, WorkflowStep step) {
            return step.run(
                "stuck",
                StepConfig.retries(1, "1 second", Backoff.CONSTANT)
                    .timeout(java.time.Duration.ofMillis(50)),
                () -> {
                  new java.util.concurrent.CountDownLatch(1).await(); // until interrupted
                  return "unreachable";
                });
          }
        };

    run(stuck, activation(List.of()));

    StepRecord step = step(0);
    assertThat(step.getStatus()).isEqualTo(StepStatus.RETRY_WAIT);
    assertThat(step.getAttempts().get(0).getError().getName()).isEqualTo("WorkflowTimeoutError");
    assertThat(step.getAttempts().get(0).getError().getMessage())
        .isEqualTo("Execution timed out after 50ms");
  }

  public record Approval(String approver) {}

  public static final class Waits extends WorkflowEntrypoint<Params, String> {
    @Override
    public String run(WorkflowEvent<Params> event, WorkflowStep step) {
      try {
        var got =
            step.waitForEvent(
                "approval", WaitOptions.type("approved").timeout("1 hour"), Approval.class);
        return got.payload().approver() + "@" + got.timestamp().toEpochMilli();
      } catch (WorkflowTimeoutError e) {
        return "timed out: " + e.getMessage();
      }
    }
  }

  @Test
  void shouldRecordWaitWithTypeAndDeadlineThenSuspend() {
    run(new Waits(), activation(List.of()));

    StepRecord wait = step(0);
    assertThat(wait.getStatus()).isEqualTo(StepStatus.WAITING);
    assertThat(wait.getEventType()).isEqualTo("approved");
    assertThat(wait.getWakeAt()).isNull(); // the orchestrator times it out
    assertThat(wait.getDurationMs()).isEqualTo(3_600_000);
    assertThat(outcome()).isNull();
  }

  @Test
  void shouldReturnReceivedEventTypedOnReplay() {
    run(new Waits(), activation(List.of()));
    StepRecord received =
        StepRecord.newBuilder(step(0))
            .setStatus(StepStatus.RECEIVED)
            .setOutput("{\"approver\":\"ada\"}")
            .setEventTimestamp(NOW - 5)
            .setEndedAt(NOW)
            .build();
    reports.clear();

    run(new Waits(), activation(List.of(received)));

    assertThat(((RunCompleted) outcome()).getOutput()).isEqualTo("\"ada@" + (NOW - 5) + "\"");
  }

  @Test
  void shouldThrowCatchableTimeoutForTimedOutWait() {
    run(new Waits(), activation(List.of()));
    StepRecord timedOut =
        StepRecord.newBuilder(step(0))
            .setStatus(StepStatus.TIMED_OUT)
            .setError(
                new dev.ferry.schemas.avro.ErrorInfo(
                    "WorkflowTimeoutError", "Execution timed out after 3600000ms"))
            .build();
    reports.clear();

    run(new Waits(), activation(List.of(timedOut)));

    assertThat(((RunCompleted) outcome()).getOutput())
        .isEqualTo("\"timed out: Execution timed out after 3600000ms\"");
  }

  @Test
  void shouldRejectWaitTimeoutOutsideOneSecondToOneYear() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> WaitOptions.type("x").timeout(java.time.Duration.ofMillis(999)))
        .hasMessageContaining("1 second..365 days");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> WaitOptions.type("a.b"))
        .hasMessageContaining("event_type");
  }

  /** Takes "a" then "b" normally; with {@code swap} it takes "b" first: a changed code path. */
  public static final class Branches extends WorkflowEntrypoint<Params, String> {
    static volatile boolean swap;

    @Override
    public String run(WorkflowEvent<Params> event, WorkflowStep step) {
      String first = swap ? "b" : "a";
      step.run(first, () -> 1);
      step.sleep("nap", "1 second");
      return "done";
    }
  }

  @Test
  void shouldFailInstanceNamingBothStepsWhenReplayTakesAnotherPath() {
    Branches.swap = false;
    run(new Branches(), activation(List.of()));
    List<StepRecord> recorded = steps();
    reports.clear();
    Branches.swap = true;
    try {
      run(new Branches(), activation(recorded));
    } finally {
      Branches.swap = false;
    }

    RunFailed failed = (RunFailed) outcome();
    assertThat(failed.getError().getName()).isEqualTo("NonDeterministicWorkflowError");
    assertThat(failed.getError().getMessage())
        .contains("step 1 was recorded as do \"a\"")
        .contains("now asks for do \"b\"");
  }

  @Test
  void shouldEndRunWhenStepLimitIsReached() {
    var loop =
        new WorkflowEntrypoint<Params, String>() {
          @Override
          public String run(WorkflowEvent<Params> event, WorkflowStep step) {
            for (int i = 0; ; i++) {
              int n = i;
              step.run("item", () -> n);
            }
          }
        };
    Activation limited = Activation.newBuilder(activation(List.of())).setMaxSteps(3).build();

    run(loop, limited);

    assertThat(steps()).hasSize(3);
    RunFailed failed = (RunFailed) outcome();
    assertThat(failed.getError().getName()).isEqualTo("WorkflowLimitError");
    assertThat(failed.getError().getMessage())
        .isEqualTo(
            "The limit of 3 steps has been reached. This limit can be changed in your worker configuration.");
  }

  @Test
  void shouldComputeRetryDelayFromFunctionThroughBackoffAndPinItAsDynamic() {
    var dynamic =
        new WorkflowEntrypoint<Params, String>() {
          @Override
          public String run(WorkflowEvent<Params> event, WorkflowStep step) {
            return step.run(
                "rate limited",
                StepConfig.retries(
                    3,
                    (ctx, error) -> java.time.Duration.ofSeconds(ctx.attempt() * 7L),
                    Backoff.CONSTANT),
                ctx -> {
                  throw new IllegalStateException("429");
                });
          }
        };

    run(dynamic, activation(List.of()));

    StepRecord step = step(0);
    assertThat(step.getWakeAt()).isEqualTo(NOW + 7_000);
    assertThat(step.getConfig().getRetryDelayMs()).isEqualTo(-1); // shown as "[dynamic]"
  }

  @Test
  void shouldTurnAnInvalidDynamicDelayIntoANonRetryableFailure() {
    var broken =
        new WorkflowEntrypoint<Params, String>() {
          @Override
          public String run(WorkflowEvent<Params> event, WorkflowStep step) {
            return step.run(
                "x",
                StepConfig.retries(
                    3, (ctx, error) -> java.time.Duration.ofSeconds(-1), Backoff.CONSTANT),
                ctx -> {
                  throw new IllegalStateException("boom");
                });
          }
        };

    run(broken, activation(List.of()));

    assertThat(step(0).getStatus()).isEqualTo(StepStatus.FAILED);
    assertThat(((RunFailed) outcome()).getError().getName()).isEqualTo("NonRetryableDelayError");
  }

  /** Two branches that each wait for the other to start: they can only finish if concurrent. */
  public static final class Parallel extends WorkflowEntrypoint<Params, Integer> {
    static final AtomicInteger RUNS = new AtomicInteger();

    @Override
    public Integer run(WorkflowEvent<Params> event, WorkflowStep step) {
      CountDownLatch both = new CountDownLatch(2);
      var a = step.runAsync("a", () -> meet(both, 1));
      var b = step.runAsync("b", () -> meet(both, 2));
      List<Integer> results = step.all(List.of(a, b));
      return step.run("sum", () -> results.get(0) + results.get(1));
    }

    private static int meet(CountDownLatch both, int value) throws InterruptedException {
      RUNS.incrementAndGet();
      both.countDown();
      return both.await(5, TimeUnit.SECONDS) ? value : -100;
    }
  }

  @Test
  void shouldRunParallelStepsConcurrentlyAtPositionsOfTheirCalls() {
    Parallel.RUNS.set(0);
    run(new Parallel(), activation(List.of()));

    assertThat(((RunCompleted) outcome()).getOutput()).isEqualTo("3");
    assertThat(steps()).extracting(StepRecord::getName).containsExactlyInAnyOrder("a", "b", "sum");
    StepRecord a = steps().stream().filter(s -> s.getName().equals("a")).findFirst().orElseThrow();
    StepRecord b = steps().stream().filter(s -> s.getName().equals("b")).findFirst().orElseThrow();
    assertThat(a.getPosition()).isZero();
    assertThat(b.getPosition()).isEqualTo(1);

    List<StepRecord> recorded = steps();
    reports.clear();
    run(new Parallel(), activation(recorded));
    assertThat(Parallel.RUNS).hasValue(2); // the replay ran neither branch again
    assertThat(((RunCompleted) outcome()).getOutput()).isEqualTo("3");
  }

  @Test
  void shouldFailFastNothingButThrowTheFirstBranchFailureAfterAllSettle() {
    var failing =
        new WorkflowEntrypoint<Params, String>() {
          @Override
          public String run(WorkflowEvent<Params> event, WorkflowStep step) {
            var ok = step.runAsync("ok", () -> "fine");
            var bad =
                step.runAsync(
                    "bad",
                    StepConfig.retries(0),
                    ctx -> {
                      throw new IllegalStateException("nope");
                    });
            try {
              step.all(List.of(ok, bad));
              return "unreachable";
            } catch (WorkflowStepError e) {
              return e.getMessage() + " / ok=" + step.await(ok);
            }
          }
        };

    run(failing, activation(List.of()));

    assertThat(((RunCompleted) outcome()).getOutput()).isEqualTo("\"nope / ok=fine\"");
  }

  /** Books, charges, then fails to ship; every step has a compensation that logs itself. */
  public static final class Saga extends WorkflowEntrypoint<Params, String> {
    static final List<String> UNDONE = new java.util.concurrent.CopyOnWriteArrayList<>();
    static final AtomicInteger SHIPS = new AtomicInteger();

    @Override
    public String run(WorkflowEvent<Params> event, WorkflowStep step) {
      String booking =
          step.run(
              "book",
              StepConfig.defaults(),
              ctx -> "B1",
              Rollback.of(ctx -> UNDONE.add("unbook " + ctx.output())));
      String charge =
          step.run(
              "charge",
              StepConfig.defaults(),
              ctx -> "C1",
              Rollback.of(ctx -> UNDONE.add("refund " + ctx.output())));
      return step.run(
          "ship",
          StepConfig.retries(0),
          ctx -> {
            SHIPS.incrementAndGet();
            throw new NonRetryableError("no courier");
          },
          Rollback.of(
              ctx ->
                  UNDONE.add(
                      "cancel shipment after " + ctx.errorName() + " output=" + ctx.output())));
    }
  }

  @Test
  void shouldRunRollbackHandlersNewestFirstWhenTheRunFails() {
    Saga.UNDONE.clear();

    run(new Saga(), activation(List.of()));

    assertThat(Saga.UNDONE)
        .containsExactly(
            "cancel shipment after NonRetryableError output=null", "refund C1", "unbook B1");
    RunFailed failed = (RunFailed) outcome();
    assertThat(failed.getError().getMessage()).isEqualTo("no courier");
    assertThat(failed.getRollback().getComplete()).isTrue();
    assertThat(steps())
        .filteredOn(s -> s.getKind() == dev.ferry.schemas.avro.StepKind.ROLLBACK)
        .extracting(StepRecord::getName)
        .containsExactly("ship", "charge", "book");
  }

  @Test
  void shouldRollBackRecordedStepsWithoutRunningNewOnesWhenTerminatedWithRollback() {
    Saga.UNDONE.clear();
    Saga.SHIPS.set(0);
    run(new Saga(), activation(List.of()));
    List<StepRecord> firstTwo =
        steps().stream()
            .filter(s -> s.getKind() == dev.ferry.schemas.avro.StepKind.DO && s.getPosition() < 2)
            .toList();
    reports.clear();
    Saga.UNDONE.clear();
    Saga.SHIPS.set(0);

    run(new Saga(), Activation.newBuilder(activation(firstTwo)).setRollback(true).build());

    assertThat(Saga.SHIPS).hasValue(0); // "ship" was never started
    assertThat(Saga.UNDONE).containsExactly("refund C1", "unbook B1");
    assertThat(((dev.ferry.schemas.avro.RolledBack) outcome()).getRollback().getComplete())
        .isTrue();
  }

  @Test
  void shouldReportFailedRollbackWithTheHandlersError() {
    var broken =
        new WorkflowEntrypoint<Params, String>() {
          @Override
          public String run(WorkflowEvent<Params> event, WorkflowStep step) {
            step.run(
                "a",
                StepConfig.defaults(),
                ctx -> 1,
                Rollback.<Integer>of(
                    ctx -> {
                      throw new NonRetryableError("cannot undo");
                    }));
            throw new IllegalStateException("later failure");
          }
        };

    run(broken, activation(List.of()));

    RunFailed failed = (RunFailed) outcome();
    assertThat(failed.getRollback().getComplete()).isFalse();
    assertThat(failed.getRollback().getError().getMessage()).isEqualTo("cannot undo");
  }

  @Test
  void shouldFailStepWhoseOutputIsOverOneMebibyte() {
    var big =
        new WorkflowEntrypoint<Params, String>() {
          @Override
          public String run(WorkflowEvent<Params> event, WorkflowStep step) {
            return step.run("big", () -> "x".repeat(1024 * 1024));
          }
        };

    run(big, activation(List.of()));

    assertThat(step(0).getStatus()).isEqualTo(StepStatus.FAILED);
    assertThat(step(0).getAttempts()).hasSize(1);
    assertThat(((RunFailed) outcome()).getError().getMessage())
        .isEqualTo("Step big-1 output is too large. Maximum allowed size is 1MiB.");
  }

  @Test
  void shouldThrowStepErrorCarryingOriginalNameWhenRetriesAreExhausted() {
    var once =
        new WorkflowEntrypoint<Params, String>() {
          @Override
          public String run(WorkflowEvent<Params> event, WorkflowStep step) {
            try {
              step.run(
                  "x",
                  StepConfig.retries(0),
                  () -> {
                    throw new java.io.IOException("down");
                  });
              return "no";
            } catch (WorkflowStepError e) {
              return e.errorName() + ":" + e.getMessage();
            }
          }
        };

    run(once, activation(List.of()));

    assertThat(((RunCompleted) outcome()).getOutput()).isEqualTo("\"IOException:down\"");
  }

  private void run(WorkflowEntrypoint<?, ?> workflow, Activation activation) {
    new ActivationRun(
            activation,
            workflow,
            reports::add,
            executor,
            new StepValues(),
            clock,
            "w1",
            java.time.Duration.ofSeconds(1))
        .execute();
  }

  /** Every step change reported, across all reports, in order. */
  private List<StepRecord> steps() {
    return reports.stream().flatMap(r -> r.getSteps().stream()).toList();
  }

  private StepRecord step(int index) {
    return steps().get(index);
  }

  private Object outcome() {
    return reports.get(reports.size() - 1).getOutcome();
  }

  private static Activation activation(List<StepRecord> history) {
    return Activation.newBuilder()
        .setAccount("acct")
        .setWorkflow("wf")
        .setInstanceId("i1")
        .setToken(1)
        .setParams("{\"start\":1}")
        .setCreatedAt(NOW)
        .setHistory(history)
        .build();
  }
}
