package dev.ferry.engine;

import static dev.ferry.engine.InstanceDeciderTest.create;
import static dev.ferry.engine.InstanceDeciderTest.createAction;
import static dev.ferry.engine.InstanceDeciderTest.report;
import static dev.ferry.engine.InstanceDeciderTest.step;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.avro.ControlAction;
import dev.ferry.schemas.avro.HistoryEventType;
import dev.ferry.schemas.avro.InstanceState;
import dev.ferry.schemas.avro.InstanceStatusCode;
import dev.ferry.schemas.avro.PauseInstance;
import dev.ferry.schemas.avro.ReplyOutcome;
import dev.ferry.schemas.avro.RestartInstance;
import dev.ferry.schemas.avro.ResumeInstance;
import dev.ferry.schemas.avro.RollbackOutcome;
import dev.ferry.schemas.avro.RolledBack;
import dev.ferry.schemas.avro.RunCompleted;
import dev.ferry.schemas.avro.StepKind;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.StepStatus;
import dev.ferry.schemas.avro.TerminateInstance;
import dev.ferry.schemas.avro.Timer;
import dev.ferry.schemas.avro.TimerKind;
import dev.ferry.schemas.avro.WorkerReport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControlDecisionsTest {
  private static final long LEASE = 1_000;
  private final InstanceDecider decider =
      new InstanceDecider(new DeciderSettings(LEASE, 30_000, 10_000));
  private final TimerDecider timers = new TimerDecider(new DeciderSettings(LEASE, 30_000, 10_000));
  private final ControlDecider controls =
      new ControlDecider(new DeciderSettings(LEASE, 30_000, 10_000));

  /** A created instance whose activation went to group "workers" (as the machine routes it). */
  private InstanceState running() {
    InstanceState created =
        decider
            .create(null, create("i1", "{\"p\":1}"), createAction("{\"p\":1}"), true, 100)
            .state();
    return InstanceState.newBuilder(created).setTaskGroup("workers").build();
  }

  private static StepRecord sleeping() {
    return step(0, StepKind.SLEEP, StepStatus.SLEEPING).setStartedAt(200).setWakeAt(5_200L).build();
  }

  private Decision control(InstanceState state, Object action, StepRecord waiting, long now) {
    Command command = Command.newBuilder(create("i1", null)).setAction(action).build();
    return controls.decide(state, command, waiting, Map.of(), List.of(), now);
  }

  private static WorkerReport stopped(long token) {
    return WorkerReport.newBuilder(report(token, List.of())).setStopped(true).build();
  }

  @Test
  void shouldAskWorkerToStopAndWaitForPauseWhileAStepRuns() {
    InstanceState state = running();

    Decision d = control(state, new PauseInstance(null, true), null, 300);

    assertThat(d.state().getStatus()).isEqualTo(InstanceStatusCode.WAITING_FOR_PAUSE);
    assertThat(d.control().getAction()).isEqualTo(ControlAction.PAUSE);
    assertThat(d.control().getToken()).isEqualTo(state.getToken());
    assertThat(d.reply().getStatus()).isEqualTo(InstanceStatusCode.WAITING_FOR_PAUSE);
  }

  @Test
  void shouldRecordStepInFlightThenPauseWhenWorkerStops() {
    InstanceState pausing = control(running(), new PauseInstance(null, true), null, 300).state();
    StepRecord done = step(0, StepKind.DO, StepStatus.SUCCEEDED).build();
    WorkerReport last = WorkerReport.newBuilder(report(1, List.of(done))).setStopped(true).build();

    Decision d = decider.report(pausing, last, 400);

    assertThat(d.steps()).containsExactly(done);
    assertThat(d.state().getStatus()).isEqualTo(InstanceStatusCode.PAUSED);
    assertThat(d.activate()).isFalse();
  }

  @Test
  void shouldPauseInsteadOfSleepingWhenSleepStartsWhilePausing() {
    InstanceState pausing = control(running(), new PauseInstance(null, true), null, 150).state();

    Decision d = decider.report(pausing, report(1, List.of(sleeping())), 200);

    assertThat(d.state().getStatus()).isEqualTo(InstanceStatusCode.PAUSED);
    assertThat(d.state().getWaitingFor()).isEqualTo(0);
    assertThat(d.timers()).noneMatch(t -> t.getKind() == TimerKind.SLEEP);
  }

  @Test
  void shouldKeepRemainingSleepAcrossPauseAndResume() {
    Decision slept = decider.report(running(), report(1, List.of(sleeping())), 200);
    Decision paused = control(slept.state(), new PauseInstance(null, true), sleeping(), 2_200);
    assertThat(paused.state().getStatus()).isEqualTo(InstanceStatusCode.PAUSED);

    Decision resumed = control(paused.state(), new ResumeInstance(null, true), sleeping(), 10_200);

    assertThat(paused.history())
        .extracting(e -> e.getType())
        .containsExactly(HistoryEventType.WORKFLOW_PAUSED);
    assertThat(resumed.history())
        .extracting(e -> e.getType())
        .containsExactly(HistoryEventType.WORKFLOW_RESUMED);

    // 3 s were left at the pause; paused for 8 s: the sleep now ends at 5.2 s + 8 s.
    assertThat(resumed.state().getStatus()).isEqualTo(InstanceStatusCode.WAITING);
    assertThat(resumed.timers())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getKind()).isEqualTo(TimerKind.SLEEP);
              assertThat(t.getDueAt()).isEqualTo(13_200L);
            });
    assertThat(resumed.steps())
        .singleElement()
        .extracting(StepRecord::getWakeAt)
        .isEqualTo(13_200L);
  }

  @Test
  void shouldIgnoreSleepTimerThatFiresAfterThePause() {
    Decision slept = decider.report(running(), report(1, List.of(sleeping())), 200);
    Timer sleepTimer = slept.timers().get(0);
    Decision paused = control(slept.state(), new PauseInstance(null, true), sleeping(), 5_000);

    Decision fired = timers.decide(paused.state(), sleepTimer, sleeping(), 5_200);

    assertThat(fired.isEmpty()).isTrue();
  }

  @Test
  void shouldPauseWokenInstanceWhenPauseArrivesJustAfterTheTimerFired() {
    Decision slept = decider.report(running(), report(1, List.of(sleeping())), 200);
    Decision woke = timers.decide(slept.state(), slept.timers().get(0), sleeping(), 5_200);

    Decision d = control(woke.state(), new PauseInstance(null, true), null, 5_201);

    assertThat(d.state().getStatus()).isEqualTo(InstanceStatusCode.WAITING_FOR_PAUSE);
    assertThat(d.control().getToken()).isEqualTo(woke.state().getToken());
  }

  @Test
  void shouldStartAgainOnResumeWhenPausedBetweenSteps() {
    InstanceState pausing = control(running(), new PauseInstance(null, true), null, 300).state();
    InstanceState paused = decider.report(pausing, stopped(1), 400).state();

    Decision d = control(paused, new ResumeInstance(null, true), null, 500);

    assertThat(d.state().getStatus()).isEqualTo(InstanceStatusCode.RUNNING);
    assertThat(d.activate()).isTrue();
  }

  @Test
  void shouldCancelPendingPauseOnResumeAndRestartARunThatAlreadyStopped() {
    InstanceState pausing = control(running(), new PauseInstance(null, true), null, 300).state();
    Decision resumed = control(pausing, new ResumeInstance(null, true), null, 310);
    assertThat(resumed.state().getStatus()).isEqualTo(InstanceStatusCode.RUNNING);
    assertThat(resumed.activate()).isFalse();

    Decision d = decider.report(resumed.state(), stopped(1), 320);

    assertThat(d.activate()).isTrue();
    assertThat(d.state().getStatus()).isEqualTo(InstanceStatusCode.RUNNING);
  }

  @Test
  void shouldDoNothingWhenResumingAnInstanceThatIsNotPaused() {
    Decision d = control(running(), new ResumeInstance(null, true), null, 300);

    assertThat(d.state().getStatus()).isEqualTo(InstanceStatusCode.RUNNING);
    assertThat(d.activate()).isFalse();
    assertThat(d.reply().getOutcome()).isEqualTo(ReplyOutcome.OK);
  }

  @Test
  void shouldDiscardInFlightResultAfterTerminate() {
    InstanceState state = running();
    Decision terminated = control(state, new TerminateInstance(false), null, 300);
    assertThat(terminated.state().getStatus()).isEqualTo(InstanceStatusCode.TERMINATED);
    assertThat(terminated.control().getAction()).isEqualTo(ControlAction.TERMINATE);

    StepRecord lateResult = step(0, StepKind.DO, StepStatus.SUCCEEDED).build();
    Decision late = decider.report(terminated.state(), report(1, List.of(lateResult)), 400);

    assertThat(late.isEmpty()).isTrue();
  }

  @Test
  void shouldRefuseToTerminateOrPauseAFinishedInstance() {
    InstanceState done =
        decider.report(running(), report(1, new RunCompleted("1", true)), 200).state();

    Decision terminate = control(done, new TerminateInstance(false), null, 300);
    Decision pause = control(done, new PauseInstance(null, true), null, 300);

    assertThat(terminate.reply().getOutcome()).isEqualTo(ReplyOutcome.CONFLICT);
    assertThat(terminate.reply().getMessage()).contains("complete");
    assertThat(pause.reply().getOutcome()).isEqualTo(ReplyOutcome.CONFLICT);
  }

  @Test
  void shouldRestartWithErasedHistoryNewGenerationAndSameParams() {
    InstanceState done =
        decider
            .report(
                running(),
                WorkerReport.newBuilder(
                        report(1, List.of(step(0, StepKind.DO, StepStatus.SUCCEEDED).build())))
                    .setOutcome(new RunCompleted("1", true))
                    .build(),
                200)
            .state();

    Decision d = control(done, new RestartInstance(null, null, null, true), null, 300);

    assertThat(d.eraseFrom()).isZero();
    assertThat(d.params()).isNull(); // params stay as stored
    assertThat(d.state().getGeneration()).isEqualTo(1);
    assertThat(d.state().getStatus()).isEqualTo(InstanceStatusCode.RUNNING);
    assertThat(d.state().getHistorySize()).isZero();
    assertThat(d.state().getOutput()).isNull();
    assertThat(d.activate()).isTrue();
    assertThat(d.history()).allMatch(e -> e.getGeneration() == 1);
  }

  @Test
  void shouldRestartFromAStepKeepingTheStepsBeforeIt() {
    StepRecord a = step(0, StepKind.DO, StepStatus.SUCCEEDED).setName("a").build();
    StepRecord nap = step(1, StepKind.SLEEP, StepStatus.SLEPT).setName("nap").build();
    StepRecord b = step(2, StepKind.DO, StepStatus.SUCCEEDED).setName("b").build();
    InstanceState done =
        decider
            .report(
                running(),
                WorkerReport.newBuilder(report(1, List.of(a, nap, b)))
                    .setOutcome(new RunCompleted("1", true))
                    .build(),
                200)
            .state();
    Command restart =
        Command.newBuilder(create("i1", null))
            .setAction(new RestartInstance("b", null, null, true))
            .build();

    Decision d = controls.decide(done, restart, null, Map.of(), List.of(a, nap, b), 300);

    assertThat(d.eraseFrom()).isEqualTo(2);
    assertThat(d.state().getHistorySize()).isEqualTo(2);
    assertThat(d.state().getStepCount()).isEqualTo(1); // the sleep does not count
    assertThat(d.history())
        .filteredOn(e -> e.getType() == dev.ferry.schemas.avro.HistoryEventType.STEP_KEPT)
        .extracting(e -> e.getStep().getName())
        .containsExactly("a", "nap");
    assertThat(d.activate()).isTrue();
  }

  @Test
  void shouldRefuseRestartFromAStepThatIsNotInTheHistory() {
    Command restart =
        Command.newBuilder(create("i1", null))
            .setAction(new RestartInstance("missing", 2, StepKind.DO, true))
            .build();

    Decision d = controls.decide(running(), restart, null, Map.of(), List.of(), 300);

    assertThat(d.reply().getOutcome()).isEqualTo(ReplyOutcome.INVALID);
    assertThat(d.reply().getMessage()).isEqualTo("Step \"missing\" not found in execution history");
  }

  @Test
  void shouldRollBackInANewActivationThenTerminateWhenTerminatedWithRollback() {
    Decision slept = decider.report(running(), report(1, List.of(sleeping())), 200);

    Decision d = control(slept.state(), new TerminateInstance(true), sleeping(), 300);

    assertThat(d.state().getStatus()).isEqualTo(InstanceStatusCode.ROLLING_BACK);
    assertThat(d.activate()).isTrue();
    assertThat(d.reply().getStatus()).isEqualTo(InstanceStatusCode.ROLLING_BACK);

    WorkerReport done =
        WorkerReport.newBuilder(report(d.state().getToken(), List.of()))
            .setOutcome(new RolledBack(new RollbackOutcome(true, null)))
            .build();
    Decision finished = decider.report(d.state(), done, 400);

    assertThat(finished.state().getStatus()).isEqualTo(InstanceStatusCode.TERMINATED);
    assertThat(finished.state().getRollback().getComplete()).isTrue();
  }

  @Test
  void shouldAnswerNotFoundForControlOfUnknownInstance() {
    Decision d = control(null, new PauseInstance(null, true), null, 1);

    assertThat(d.reply().getOutcome()).isEqualTo(ReplyOutcome.NOT_FOUND);
  }
}
