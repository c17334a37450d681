package dev.ferry.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.schemas.avro.Attempt;
import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.avro.CreateInstance;
import dev.ferry.schemas.avro.HistoryEvent;
import dev.ferry.schemas.avro.HistoryEventType;
import dev.ferry.schemas.avro.InstanceState;
import dev.ferry.schemas.avro.InstanceStatusCode;
import dev.ferry.schemas.avro.ReplyOutcome;
import dev.ferry.schemas.avro.RunCompleted;
import dev.ferry.schemas.avro.StepKind;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.StepStatus;
import dev.ferry.schemas.avro.Timer;
import dev.ferry.schemas.avro.TimerKind;
import dev.ferry.schemas.avro.TriggerSource;
import dev.ferry.schemas.avro.WorkerReport;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstanceDeciderTest {
  private static final long LEASE = 1_000;
  private final InstanceDecider decider =
      new InstanceDecider(new DeciderSettings(LEASE, 30_000, 10_000));
  private final TimerDecider timers = new TimerDecider(new DeciderSettings(LEASE, 30_000, 10_000));

  @Test
  void shouldStartNewInstanceWithActivationLeaseAndReply() {
    Decision d =
        decider.create(null, create("i1", "{\"a\":1}"), createAction("{\"a\":1}"), true, 100);

    assertThat(d.state().getStatus()).isEqualTo(InstanceStatusCode.RUNNING);
    assertThat(d.state().getToken()).isEqualTo(1);
    assertThat(d.activate()).isTrue();
    assertThat(d.params()).isEqualTo("{\"a\":1}");
    assertThat(d.timers())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getKind()).isEqualTo(TimerKind.LEASE);
              assertThat(t.getDueAt()).isEqualTo(100 + LEASE);
            });
    assertThat(d.reply().getOutcome()).isEqualTo(ReplyOutcome.OK);
    assertThat(types(d.history()))
        .containsExactly(HistoryEventType.WORKFLOW_QUEUED, HistoryEventType.WORKFLOW_START);
  }

  @Test
  void shouldPinTheVersionAndStepLimitTheCreateCarries() {
    CreateInstance action = createAction("{}");
    action.setVersionId("v-1");
    action.setMaxSteps(7);

    Decision d = decider.create(null, create("i1", "{}"), action, true, 100);

    assertThat(d.state().getVersionId()).isEqualTo("v-1");
    assertThat(d.state().getMaxSteps()).isEqualTo(7);
  }

  @Test
  void shouldRefuseCreateWithExistingIdAndKeepTheInstance() {
    InstanceState existing = started();

    Decision d = decider.create(existing, create("i1", null), createAction(null), true, 200);

    assertThat(d.reply().getOutcome()).isEqualTo(ReplyOutcome.ALREADY_EXISTS);
    assertThat(d.state().getStatus()).isEqualTo(existing.getStatus());
    assertThat(d.state().getToken()).isEqualTo(existing.getToken());
    assertThat(d.state().getHistoryEvents()).isEqualTo(existing.getHistoryEvents() + 1);
    assertThat(d.activate()).isFalse();
    assertThat(d.timers()).isEmpty();
    assertThat(types(d.history())).containsExactly(HistoryEventType.WORKFLOW_DUPLICATE_CREATE);
    assertThat(d.history().get(0).getError().getMessage()).contains("already exists");
  }

  @Test
  void shouldRecordOnlyTheFirstDuplicateCreatesInTheHistory() {
    InstanceState state = started();
    int recorded = 0;
    for (int i = 0; i < 25; i++) {
      Decision d = decider.create(state, create("i1", null), createAction(null), true, 200 + i);
      assertThat(d.reply().getOutcome()).isEqualTo(ReplyOutcome.ALREADY_EXISTS);
      recorded += d.history().size();
      if (d.state() != null) {
        state = d.state();
      }
    }

    assertThat(recorded).isEqualTo(InstanceDecider.MAX_RECORDED_DUPLICATES);
    assertThat(state.getDuplicateCreates()).isEqualTo(InstanceDecider.MAX_RECORDED_DUPLICATES);
  }

  @Test
  void shouldRefuseCreateOfADeletedIdWithoutHistory() {
    InstanceState expired = started();
    expired.setExpired(true);

    Decision d = decider.create(expired, create("i1", null), createAction(null), true, 200);

    assertThat(d.reply().getOutcome()).isEqualTo(ReplyOutcome.ALREADY_EXISTS);
    assertThat(d.state()).isNull();
    assertThat(d.history()).isEmpty();
  }

  @Test
  void shouldRejectInvalidIdNamingTheRule() {
    Decision d = decider.create(null, create("-bad", null), createAction(null), true, 1);

    assertThat(d.reply().getOutcome()).isEqualTo(ReplyOutcome.INVALID);
    assertThat(d.reply().getMessage()).contains("instance_id").contains("must match");
  }

  @Test
  void shouldRefuseFromAnySenderTheSettingsTheHttpApiRefuses() {
    CreateInstance negative =
        CreateInstance.newBuilder(createAction("{}")).setSuccessRetentionMs(-1L).build();
    CreateInstance noSteps = CreateInstance.newBuilder(createAction("{}")).setMaxSteps(0).build();

    Decision retention = decider.create(null, create("i1", "{}"), negative, true, 1);
    Decision steps = decider.create(null, create("i1", "{}"), noSteps, true, 1);

    assertThat(retention.state()).isNull();
    assertThat(retention.reply().getOutcome()).isEqualTo(ReplyOutcome.INVALID);
    assertThat(retention.reply().getMessage()).isEqualTo("successRetentionMs must not be negative");
    assertThat(steps.state()).isNull();
    assertThat(steps.reply().getMessage()).isEqualTo("maxSteps must be 1..1000000, got 0");
  }

  @Test
  void shouldRejectParamsThatAreNotJson() {
    Decision d = decider.create(null, create("i1", "{oops"), createAction("{oops"), true, 1);

    assertThat(d.reply().getOutcome()).isEqualTo(ReplyOutcome.INVALID);
    assertThat(d.reply().getMessage()).startsWith("params:");
  }

  @Test
  void shouldIgnoreReportsFromStaleActivation() {
    InstanceState state = started();
    WorkerReport stale = report(state.getToken() - 1, new RunCompleted("1", true));

    assertThat(decider.report(state, stale, 500).isEmpty()).isTrue();
  }

  @Test
  void shouldWaitOnDurableTimerWhenStepSleeps() {
    InstanceState state = started();
    StepRecord sleeping = step(0, StepKind.SLEEP, StepStatus.SLEEPING).setWakeAt(5_000L).build();

    Decision d = decider.report(state, report(state.getToken(), List.of(sleeping)), 200);

    assertThat(d.state().getStatus()).isEqualTo(InstanceStatusCode.WAITING);
    assertThat(d.state().getLeaseExpiresAt()).isNull();
    assertThat(d.state().getHistorySize()).isEqualTo(1);
    assertThat(d.state().getStepCount()).isZero(); // sleeps are not steps for the limit
    assertThat(d.snapshot()).isTrue();
    assertThat(d.timers())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getKind()).isEqualTo(TimerKind.SLEEP);
              assertThat(t.getDueAt()).isEqualTo(5_000L);
              assertThat(t.getPosition()).isEqualTo(0);
            });
  }

  @Test
  void shouldWakeSleepingInstanceWhenItsTimerFires() {
    InstanceState state = started();
    StepRecord sleeping = step(0, StepKind.SLEEP, StepStatus.SLEEPING).setWakeAt(5_000L).build();
    Decision slept = decider.report(state, report(1, List.of(sleeping)), 200);

    Decision woke = timers.decide(slept.state(), slept.timers().get(0), sleeping, 5_010);

    assertThat(woke.state().getStatus()).isEqualTo(InstanceStatusCode.RUNNING);
    assertThat(woke.state().getToken()).isEqualTo(2);
    assertThat(woke.activate()).isTrue();
    assertThat(woke.steps())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getStatus()).isEqualTo(StepStatus.SLEPT);
              assertThat(s.getEndedAt()).isEqualTo(5_010L);
            });
  }

  @Test
  void shouldMoveLeaseTimerLazilyWhileWorkerReports() {
    InstanceState state = started();
    Decision beat = decider.report(state, report(1, List.of()), 900);
    Timer lease = timer(TimerKind.LEASE, 1, 100 + LEASE);

    Decision d = timers.decide(beat.state(), lease, null, 100 + LEASE);

    assertThat(d.activate()).isFalse();
    assertThat(d.timers()).singleElement().extracting(Timer::getDueAt).isEqualTo(900 + LEASE);
  }

  @Test
  void shouldCountLostAttemptAsFailedAndActivateAgainWhenLeaseExpires() {
    InstanceState state = started();
    StepRecord running =
        step(0, StepKind.DO, StepStatus.RUNNING)
            .setAttempts(List.of(new Attempt(1, 150L, null, null, null)))
            .build();
    Decision beat = decider.report(state, report(1, running), 150);

    Decision d =
        timers.decide(beat.state(), timer(TimerKind.LEASE, 1, 150 + LEASE), null, 150 + LEASE);

    assertThat(d.activate()).isTrue();
    assertThat(d.state().getToken()).isEqualTo(2);
    assertThat(d.steps())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getStatus()).isEqualTo(StepStatus.RETRY_WAIT);
              assertThat(s.getAttempts().get(0).getSuccess()).isFalse();
              assertThat(s.getAttempts().get(0).getError().getMessage())
                  .isEqualTo(TimerDecider.LOST_ATTEMPT);
            });
  }

  @Test
  void shouldApplyBatchedStepsInOrderThenTheOutcome() {
    InstanceState state = started();
    StepRecord a = step(0, StepKind.DO, StepStatus.SUCCEEDED).build();
    StepRecord b = step(1, StepKind.DO, StepStatus.SUCCEEDED).build();
    WorkerReport batch =
        WorkerReport.newBuilder(report(1, List.of(a, b)))
            .setOutcome(new RunCompleted("7", true))
            .build();

    Decision d = decider.report(state, batch, 300);

    assertThat(d.steps()).containsExactly(a, b);
    assertThat(d.state().getStepCount()).isEqualTo(2);
    assertThat(d.state().getStatus()).isEqualTo(InstanceStatusCode.COMPLETE);
    assertThat(types(d.history()))
        .containsExactly(
            HistoryEventType.STEP_SUCCESS,
            HistoryEventType.STEP_SUCCESS,
            HistoryEventType.WORKFLOW_SUCCESS);
  }

  @Test
  void shouldRecordParallelStepsOutOfOrderAndWaitForTheEarliestRetry() {
    InstanceState state = started();
    StepRecord later = step(1, StepKind.DO, StepStatus.RETRY_WAIT).setWakeAt(5_000L).build();
    StepRecord done = step(0, StepKind.DO, StepStatus.SUCCEEDED).build();
    StepRecord sooner = step(2, StepKind.DO, StepStatus.RETRY_WAIT).setWakeAt(3_000L).build();

    Decision d = decider.report(state, report(1, List.of(later, done, sooner)), 300);

    assertThat(d.steps()).containsExactly(later, done, sooner);
    assertThat(d.state().getHistorySize()).isEqualTo(3);
    assertThat(d.state().getStepCount()).isEqualTo(1); // only "done" has finished
    assertThat(d.state().getStatus()).isEqualTo(InstanceStatusCode.WAITING);
    assertThat(d.timers())
        .filteredOn(t -> t.getKind() == TimerKind.RETRY)
        .singleElement()
        .satisfies(t -> assertThat(t.getDueAt()).isEqualTo(3_000L));
  }

  @Test
  void shouldCompleteWithOutputAndIgnoreLaterReports() {
    InstanceState state = started();

    Decision done = decider.report(state, report(1, new RunCompleted("42", true)), 300);

    assertThat(done.state().getStatus()).isEqualTo(InstanceStatusCode.COMPLETE);
    assertThat(done.state().getOutput()).isEqualTo("42");
    assertThat(done.state().getEndedAt()).isEqualTo(300L);
    assertThat(types(done.history())).containsExactly(HistoryEventType.WORKFLOW_SUCCESS);
    assertThat(decider.report(done.state(), report(1, new RunCompleted("43", true)), 301).isEmpty())
        .isTrue();
  }

  private InstanceState started() {
    return decider.create(null, create("i1", null), createAction(null), true, 100).state();
  }

  private static List<HistoryEventType> types(List<HistoryEvent> events) {
    return events.stream().map(HistoryEvent::getType).toList();
  }

  private static Timer timer(TimerKind kind, long token, long due) {
    return Timer.newBuilder()
        .setInstanceKey("acct/wf/i1")
        .setKind(kind)
        .setDueAt(due)
        .setToken(token)
        .build();
  }

  static StepRecord.Builder step(int position, StepKind kind, StepStatus status) {
    return TestRecords.step(position, kind, status, 100);
  }

  static Command create(String id, String params) {
    return Command.newBuilder()
        .setRequestId("r-" + id)
        .setAccount("acct")
        .setWorkflow("wf")
        .setInstanceId(id)
        .setIssuedAt(1)
        .setAction(createAction(params))
        .build();
  }

  static CreateInstance createAction(String params) {
    return CreateInstance.newBuilder()
        .setParams(params)
        .setTriggerSource(TriggerSource.API)
        .build();
  }

  static WorkerReport report(long token, Object body) {
    return TestRecords.report("i1", token, 1, body);
  }
}
