package dev.ferry.engine;

import static dev.ferry.engine.InstanceDeciderTest.create;
import static dev.ferry.engine.InstanceDeciderTest.report;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.avro.CreateInstance;
import dev.ferry.schemas.avro.DeleteInstance;
import dev.ferry.schemas.avro.ErrorInfo;
import dev.ferry.schemas.avro.InstanceEvent;
import dev.ferry.schemas.avro.InstanceState;
import dev.ferry.schemas.avro.ReplyOutcome;
import dev.ferry.schemas.avro.RunCompleted;
import dev.ferry.schemas.avro.RunFailed;
import dev.ferry.schemas.avro.Timer;
import dev.ferry.schemas.avro.TimerKind;
import dev.ferry.schemas.avro.TriggerSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetentionDecisionsTest {
  private static final long DEFAULT_RETENTION = 30_000;
  private final DeciderSettings settings = new DeciderSettings(1_000, DEFAULT_RETENTION, 10_000);
  private final EventDecider events = new EventDecider(settings);
  private final InstanceDecider decider = new InstanceDecider(settings);
  private final TimerDecider timers = new TimerDecider(settings);
  private final ControlDecider controls = new ControlDecider(settings);

  private InstanceState started(Long success, Long error) {
    CreateInstance create =
        CreateInstance.newBuilder()
            .setTriggerSource(TriggerSource.API)
            .setSuccessRetentionMs(success)
            .setErrorRetentionMs(error)
            .build();
    InstanceState created = decider.create(null, create("i1", null), create, true, 100).state();
    return InstanceState.newBuilder(created).setTaskGroup("workers").build(); // as routed
  }

  private static Timer retentionTimer(Decision d) {
    return d.timers().stream()
        .filter(t -> t.getKind() == TimerKind.RETENTION)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void shouldKeepCompletedInstanceForItsSuccessRetention() {
    Decision done =
        decider.report(started(5_000L, 9_000L), report(1, new RunCompleted("1", true)), 200);

    assertThat(retentionTimer(done).getDueAt()).isEqualTo(5_200L);
  }

  @Test
  void shouldKeepErroredInstanceForItsErrorRetentionOrTheDefault() {
    Decision withOwn =
        decider.report(
            started(5_000L, 9_000L), report(1, new RunFailed(new ErrorInfo("E", "m"), null)), 200);
    Decision withDefault =
        decider.report(
            started(null, null), report(1, new RunFailed(new ErrorInfo("E", "m"), null)), 200);

    assertThat(retentionTimer(withOwn).getDueAt()).isEqualTo(9_200L);
    assertThat(retentionTimer(withDefault).getDueAt()).isEqualTo(200 + DEFAULT_RETENTION);
  }

  @Test
  void shouldExpireWhenRetentionEndsButKeepTheIdReserved() {
    Decision done =
        decider.report(started(5_000L, null), report(1, new RunCompleted("1", true)), 200);

    Decision expired = timers.decide(done.state(), retentionTimer(done), null, 5_200);

    assertThat(expired.expire()).isTrue();
    assertThat(expired.state().getExpired()).isTrue();
    Decision again =
        decider.create(
            expired.state(), create("i1", null), CreateInstance.newBuilder().build(), true, 6_000);
    assertThat(again.reply().getOutcome()).isEqualTo(ReplyOutcome.ALREADY_EXISTS);
    Decision event = events.decide(expired.state(), event(), null, 6_000);
    assertThat(event.reply().getOutcome()).isEqualTo(ReplyOutcome.NOT_FOUND);
  }

  @Test
  void shouldDeleteRunningInstanceAtOnceStoppingItsWorker() {
    InstanceState running = started(null, null);
    Command delete =
        Command.newBuilder(create("i1", null)).setAction(new DeleteInstance(null, true)).build();

    Decision d = controls.decide(running, delete, null, Map.of(), List.of(), 300);

    assertThat(d.expire()).isTrue();
    assertThat(d.control()).isNotNull();
    assertThat(d.reply().getOutcome()).isEqualTo(ReplyOutcome.OK);
    assertThat(
            controls.decide(d.state(), delete, null, Map.of(), List.of(), 301).reply().getOutcome())
        .isEqualTo(ReplyOutcome.NOT_FOUND);
  }

  private static InstanceEvent event() {
    return InstanceEvent.newBuilder()
        .setEventId("e")
        .setAccount("acct")
        .setWorkflow("wf")
        .setInstanceId("i1")
        .setType("t")
        .setPayload("{}")
        .setSentAt(1)
        .setRequestId("r")
        .build();
  }
}
