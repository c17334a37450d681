package dev.ferry.engine;

import static dev.ferry.engine.InstanceDeciderTest.create;
import static dev.ferry.engine.InstanceDeciderTest.createAction;
import static dev.ferry.engine.InstanceDeciderTest.report;
import static dev.ferry.engine.InstanceDeciderTest.step;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.schemas.Limits;
import dev.ferry.schemas.avro.HistoryEventType;
import dev.ferry.schemas.avro.InstanceEvent;
import dev.ferry.schemas.avro.InstanceState;
import dev.ferry.schemas.avro.InstanceStatusCode;
import dev.ferry.schemas.avro.ReplyOutcome;
import dev.ferry.schemas.avro.RunCompleted;
import dev.ferry.schemas.avro.StepKind;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.StepStatus;
import dev.ferry.schemas.avro.Timer;
import dev.ferry.schemas.avro.TimerKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventDecisionsTest {
  private final InstanceDecider decider =
      new InstanceDecider(new DeciderSettings(1_000, 30_000, 10_000));
  private final TimerDecider timers = new TimerDecider(new DeciderSettings(1_000, 30_000, 10_000));
  private final EventDecider events = new EventDecider(new DeciderSettings(1_000, 30_000, 10_000));

  private InstanceState started() {
    return decider.create(null, create("i1", null), createAction(null), true, 100).state();
  }

  private static StepRecord waitingFor(String type) {
    return step(0, StepKind.WAIT_FOR_EVENT, StepStatus.WAITING)
        .setEventType(type)
        .setStartedAt(200)
        .setWakeAt(5_200L)
        .build();
  }

  private static InstanceEvent event(String type, String requestId) {
    return InstanceEvent.newBuilder()
        .setEventId("e-" + type)
        .setAccount("acct")
        .setWorkflow("wf")
        .setInstanceId("i1")
        .setType(type)
        .setPayload("{\"ok\":true}")
        .setSentAt(150)
        .setRequestId(requestId)
        .build();
  }

  @Test
  void shouldWaitWithTimeoutTimerWhenNoEventIsBuffered() {
    Decision d = decider.report(started(), report(1, List.of(waitingFor("approval"))), 200);

    assertThat(d.state().getStatus()).isEqualTo(InstanceStatusCode.WAITING);
    assertThat(d.state().getWaitingFor()).isEqualTo(0);
    assertThat(d.timers())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getKind()).isEqualTo(TimerKind.WAIT_TIMEOUT);
              assertThat(t.getDueAt()).isEqualTo(5_200L);
            });
  }

  @Test
  void shouldDeliverEventToWaitingInstanceAndWakeIt() {
    InstanceState waiting =
        decider.report(started(), report(1, List.of(waitingFor("approval"))), 200).state();

    Decision d = events.decide(waiting, event("approval", "r1"), waitingFor("approval"), 300);

    assertThat(d.state().getStatus()).isEqualTo(InstanceStatusCode.RUNNING);
    assertThat(d.activate()).isTrue();
    assertThat(d.buffer()).isNull();
    assertThat(d.steps())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getStatus()).isEqualTo(StepStatus.RECEIVED);
              assertThat(s.getOutput()).isEqualTo("{\"ok\":true}");
              assertThat(s.getEventTimestamp()).isEqualTo(150L);
            });
    assertThat(d.reply().getOutcome()).isEqualTo(ReplyOutcome.OK);
  }

  @Test
  void shouldBufferEventSentBeforeTheWaitAndDeliverItWhenTheWaitBegins() {
    InstanceState running = started();
    Decision buffered = events.decide(running, event("approval", null), null, 150);
    assertThat(buffered.buffer()).isNotNull();
    assertThat(buffered.state().getEventSeq()).isEqualTo(1);
    assertThat(buffered.activate()).isFalse();

    BufferedEvent early = new BufferedEvent("k-1", buffered.buffer());
    Decision d =
        decider.report(
            buffered.state(),
            report(1, List.of(waitingFor("approval"))),
            Map.of("approval", early),
            200);

    assertThat(buffered.state().getBufferedEvents()).isEqualTo(1);
    assertThat(d.consumedEvents()).containsExactly("k-1");
    assertThat(d.state().getBufferedEvents()).isZero();
    assertThat(d.state().getStatus()).isEqualTo(InstanceStatusCode.RUNNING);
    assertThat(d.activate()).isTrue();
    assertThat(d.state().getToken()).isEqualTo(2);
    assertThat(d.timers()).noneMatch(t -> t.getKind() == TimerKind.WAIT_TIMEOUT);
    assertThat(d.history())
        .extracting(e -> e.getType())
        .containsExactly(HistoryEventType.WAIT_START, HistoryEventType.WAIT_COMPLETE);
  }

  @Test
  void shouldAcknowledgeAResentEventIdWithoutDeliveringOrKeepingItTwice() {
    InstanceState running = started();
    Decision first = events.decide(running, event("approval", "r1"), null, 150);

    Decision resent = events.decide(first.state(), event("approval", "r2"), null, 160);
    Decision resentFromKafka = events.decide(first.state(), event("approval", null), null, 160);

    assertThat(first.buffer()).isNotNull();
    assertThat(resent.buffer()).isNull();
    assertThat(resent.state()).isNull(); // nothing changes
    assertThat(resent.reply().getOutcome()).isEqualTo(ReplyOutcome.OK);
    assertThat(resentFromKafka.buffer()).isNull();
    assertThat(resentFromKafka.deadLetter()).isNull();
  }

  @Test
  void shouldRefuseAnEventToKeepOnceTheInstanceKeepsTheMostItMay() {
    InstanceState full =
        InstanceState.newBuilder(started()).setBufferedEvents(Limits.MAX_BUFFERED_EVENTS).build();

    Decision replied = events.decide(full, event("other", "r1"), null, 150);
    Decision fromKafka = events.decide(full, event("other", null), null, 150);

    assertThat(replied.reply().getOutcome()).isEqualTo(ReplyOutcome.CONFLICT);
    assertThat(replied.reply().getMessage()).contains("already keeps 1000 events");
    assertThat(replied.buffer()).isNull();
    assertThat(fromKafka.deadLetter()).contains("already keeps 1000 events");
  }

  @Test
  void shouldRememberOnlyTheLatestEventIds() {
    InstanceState state = started();
    for (int i = 0; i <= Limits.REMEMBERED_EVENT_IDS; i++) {
      InstanceEvent numbered =
          InstanceEvent.newBuilder(event("t", null)).setEventId("e" + i).build();
      state = events.decide(state, numbered, null, 150).state();
    }

    assertThat(state.getRecentEventIds())
        .hasSize(Limits.REMEMBERED_EVENT_IDS)
        .doesNotContain("e0")
        .contains("e" + Limits.REMEMBERED_EVENT_IDS);
  }

  @Test
  void shouldRefuseAnOverlongEventIdNamingTheRule() {
    InstanceEvent overlong =
        InstanceEvent.newBuilder(event("t", "r1")).setEventId("x".repeat(129)).build();

    Decision d = events.decide(started(), overlong, null, 150);

    assertThat(d.reply().getOutcome()).isEqualTo(ReplyOutcome.INVALID);
    assertThat(d.reply().getMessage()).contains("eventId must be 1..128 characters");
  }

  @Test
  void shouldBufferEventOfAnotherTypeWhileWaiting() {
    InstanceState waiting =
        decider.report(started(), report(1, List.of(waitingFor("approval"))), 200).state();

    Decision d = events.decide(waiting, event("other", null), waitingFor("approval"), 300);

    assertThat(d.buffer().getType()).isEqualTo("other");
    assertThat(d.state().getStatus()).isEqualTo(InstanceStatusCode.WAITING);
  }

  @Test
  void shouldThrowTimeoutIntoWorkflowWhenTimerFiresAndForgetTheWait() {
    Decision waited = decider.report(started(), report(1, List.of(waitingFor("approval"))), 200);
    Timer timeout = waited.timers().get(0);

    Decision d = timers.decide(waited.state(), timeout, waitingFor("approval"), 5_200);

    assertThat(d.state().getStatus()).isEqualTo(InstanceStatusCode.RUNNING);
    assertThat(d.state().getWaitingFor()).isNull();
    assertThat(d.activate()).isTrue();
    assertThat(d.steps())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getStatus()).isEqualTo(StepStatus.TIMED_OUT);
              assertThat(s.getError().getName()).isEqualTo("WorkflowTimeoutError");
              assertThat(s.getError().getMessage()).isEqualTo("Execution timed out after 5000ms");
            });
    // a later event is kept for the next wait, not given to the timed-out one
    Decision late = events.decide(d.state(), event("approval", null), null, 5_300);
    assertThat(late.buffer()).isNotNull();
  }

  @Test
  void shouldAnswerNotFoundToRepliedSenderAndDeadLetterForOthers() {
    Decision replied = events.decide(null, event("approval", "r1"), null, 1);
    Decision dropped = events.decide(null, event("approval", null), null, 1);

    assertThat(replied.reply().getOutcome()).isEqualTo(ReplyOutcome.NOT_FOUND);
    assertThat(replied.deadLetter()).isNull();
    assertThat(dropped.reply()).isNull();
    assertThat(dropped.deadLetter()).contains("not found");
  }

  @Test
  void shouldRefuseEventsToFinishedInstance() {
    InstanceState done =
        decider.report(started(), report(1, new RunCompleted("1", true)), 200).state();

    Decision d = events.decide(done, event("approval", "r1"), null, 300);

    assertThat(d.reply().getOutcome()).isEqualTo(ReplyOutcome.CONFLICT);
    assertThat(d.reply().getMessage()).contains("complete");
  }

  @Test
  void shouldRejectInvalidEventTypeNamingTheField() {
    Decision d = events.decide(started(), event("bad.type", "r1"), null, 300);

    assertThat(d.reply().getOutcome()).isEqualTo(ReplyOutcome.INVALID);
    assertThat(d.reply().getMessage()).contains("event_type");
  }
}
