package dev.ferry.workflows.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.workflows.Rollback;
import dev.ferry.workflows.StepConfig;
import dev.ferry.workflows.WaitOptions;
import dev.ferry.workflows.WorkflowEntrypoint;
import dev.ferry.workflows.WorkflowEvent;
import dev.ferry.workflows.WorkflowStep;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The test kit runs the engine's own state machine, so instances can be controlled as live ones.
 */
class WorkflowRunControlTest {
  static final AtomicInteger PREPARED = new AtomicInteger();
  static final AtomicInteger RELEASED = new AtomicInteger();

  /** Prepares, waits up to an hour for "go", then finishes with the event's word. */
  public static final class WaitsForGo extends WorkflowEntrypoint<Object, String> {
    @Override
    public String run(WorkflowEvent<Object> event, WorkflowStep step) {
      String prepared = step.run("prepare", () -> "prepared " + PREPARED.incrementAndGet());
      String word =
          step.waitForEvent("go", WaitOptions.type("go").timeout("1 hour"), String.class).payload();
      return step.run("finish", () -> prepared + ", then " + word);
    }
  }

  /** Reserves (with a release as its rollback), then waits for a confirmation. */
  public static final class Reserves extends WorkflowEntrypoint<Object, String> {
    @Override
    public String run(WorkflowEvent<Object> event, WorkflowStep step) {
      step.run(
          "reserve",
          StepConfig.defaults(),
          ctx -> "seat 7C",
          Rollback.<String>of(ctx -> RELEASED.incrementAndGet()));
      step.waitForEvent("confirmation", WaitOptions.type("confirm"), String.class);
      return "confirmed";
    }
  }

  @BeforeEach
  void reset() {
    PREPARED.set(0);
    RELEASED.set(0);
  }

  @Test
  void shouldKeepAnEventSentWhilePausedAndDeliverItOnResume() {
    WorkflowRun run = WorkflowTester.of(WaitsForGo::new).start(null);
    assertThat(run.status()).isEqualTo(WorkflowRun.Status.WAITING);

    run.pause();
    assertThat(run.status()).isEqualTo(WorkflowRun.Status.PAUSED);
    run.sendEvent("go", "go!");
    assertThat(run.status()).isEqualTo(WorkflowRun.Status.PAUSED);

    run.resume();

    assertThat(run.output(String.class)).isEqualTo("prepared 1, then go!");
    assertThat(PREPARED).hasValue(1); // replayed, not run again
  }

  @Test
  void shouldResumeAWaitWithTheTimeItHadLeft() {
    WorkflowRun run = WorkflowTester.of(WaitsForGo::new).start(null);

    run.pause().resume().timeOutWait();

    assertThat(run.status()).isEqualTo(WorkflowRun.Status.ERRORED);
    assertThat(run.errorName()).isEqualTo("WorkflowTimeoutError");
    assertThat(run.elapsed()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void shouldTerminateAWaitingInstanceAndRefuseEventsAfterwards() {
    WorkflowRun run = WorkflowTester.of(WaitsForGo::new).start(null);

    run.terminate();

    assertThat(run.status()).isEqualTo(WorkflowRun.Status.TERMINATED);
    assertThatThrownBy(() -> run.sendEvent("go", "late"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("CONFLICT");
    assertThatThrownBy(run::pause).hasMessageContaining("cannot be paused");
  }

  @Test
  void shouldRunTheRollbackHandlersOfFinishedStepsWhenTerminatedWithRollback() {
    WorkflowRun run = WorkflowTester.of(Reserves::new).start(null);

    run.terminateWithRollback();

    assertThat(run.status()).isEqualTo(WorkflowRun.Status.TERMINATED);
    assertThat(RELEASED).hasValue(1);
    assertThat(run.steps())
        .extracting(WorkflowRun.Step::kind, WorkflowRun.Step::name)
        .contains(org.assertj.core.groups.Tuple.tuple("rollback", "reserve"));
  }

  @Test
  void shouldRunEveryStepAgainOnRestart() {
    WorkflowRun run = WorkflowTester.of(WaitsForGo::new).start(null);
    run.sendEvent("go", "once");

    run.restart().sendEvent("go", "twice");

    assertThat(run.output(String.class)).isEqualTo("prepared 2, then twice");
    assertThat(run.activations()).isEqualTo(4);
  }

  @Test
  void shouldCountAnAttemptLostWithItsWorkerOnceTheLeaseExpiresAndRetryIt() {
    WorkflowRun run = WorkflowTester.of(WaitsForGo::new).loseWorkerDuring("prepare").start(null);

    assertThat(run.status()).isEqualTo(WorkflowRun.Status.WAITING);
    WorkflowRun.Step prepare = run.steps().get(0);
    assertThat(prepare.status()).isEqualTo("succeeded");
    assertThat(prepare.attempts()).isEqualTo(2);
    assertThat(PREPARED).hasValue(1);
    assertThat(run.elapsed()).isEqualTo(Duration.ofSeconds(30)); // the engine's lease
    assertThat(run.activations()).isEqualTo(2);
  }

  @Test
  void shouldKeepTheStepsBeforeTheOneARestartStartsFrom() {
    WorkflowRun run = WorkflowTester.of(WaitsForGo::new).start(null);
    run.sendEvent("go", "once");

    run.restartFrom("finish", 1);

    assertThat(run.output(String.class)).isEqualTo("prepared 1, then once");
    assertThat(PREPARED).hasValue(1);
  }
}
