package dev.ferry.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.engine.TestRecords;
import dev.ferry.schemas.DeadLetters;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.avro.Activation;
import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.avro.CommandReply;
import dev.ferry.schemas.avro.CreateInstance;
import dev.ferry.schemas.avro.InstanceEvent;
import dev.ferry.schemas.avro.InstanceSnapshot;
import dev.ferry.schemas.avro.InstanceStatusCode;
import dev.ferry.schemas.avro.ReplyOutcome;
import dev.ferry.schemas.avro.RetentionDefaults;
import dev.ferry.schemas.avro.RunCompleted;
import dev.ferry.schemas.avro.StepKind;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.StepStatus;
import dev.ferry.schemas.avro.Task;
import dev.ferry.schemas.avro.TriggerSource;
import dev.ferry.schemas.avro.WorkerReport;
import dev.ferry.schemas.avro.WorkflowDefinition;
import dev.ferry.schemas.registry.SchemaRegistryClients;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OrchestratorTopologyTest {
  private static final String KEY = "acct/wf/i1";
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private final Topics topics =
      new Topics("t.", SchemaRegistryClients.forUrl("mock://topology-" + UUID.randomUUID()));
  private TopologyTestDriver driver;
  private TestInputTopic<String, Command> commands;
  private TestInputTopic<String, byte[]> rawCommands;
  private TestInputTopic<String, WorkerReport> results;
  private TestInputTopic<String, InstanceEvent> events;
  private TestOutputTopic<String, Task> tasks;

  /** The worker group present from the start, hosting the workflows the tests use. */
  private static final String GROUP = "workers";

  private TestOutputTopic<String, InstanceSnapshot> status;
  private TestOutputTopic<String, CommandReply> replies;
  private TestOutputTopic<String, byte[]> deadLetters;

  @BeforeEach
  void start() {
    var settings =
        new OrchestratorTopology.Settings(
            Duration.ofSeconds(30),
            Duration.ofMillis(50),
            100,
            500,
            Duration.ofMinutes(5),
            1000,
            DriverTopics.GRACE,
            // eager commits on: every transition asks Kafka Streams for a commit
            1000);
    driver = DriverTopics.driver(topics, settings, START);
    DriverTopics io = new DriverTopics(driver, topics);
    var strings = Serdes.String();
    commands = io.input(Topics.COMMANDS);
    rawCommands =
        driver.createInputTopic(
            topics.name(Topics.COMMANDS), strings.serializer(), Serdes.ByteArray().serializer());
    results = io.input(Topics.RESULTS);
    events = io.input(Topics.EVENTS);
    tasks = io.tasks(GROUP);
    status = io.output(Topics.STATUS);
    replies = io.output(Topics.REPLIES);
    deadLetters =
        driver.createOutputTopic(
            topics.deadLetter(), strings.deserializer(), Serdes.ByteArray().deserializer());
    register("acct", "wf");
  }

  /** A worker's registration of a workflow and its presence (longer than any test runs). */
  private void register(String account, String workflow) {
    new DriverTopics(driver, topics)
        .announce(GROUP, "w-" + workflow, account, "v1", START, Duration.ofDays(3650), workflow);
  }

  @Test
  void shouldGiveAKafkaCreateTheWorkflowsNewestVersionAndItsDefinitionsDefaults() {
    new DriverTopics(driver, topics)
        .input(Topics.DEFINITIONS)
        .pipeInput(
            "acct/wf",
            WorkflowDefinition.newBuilder()
                .setAccount("acct")
                .setWorkflow("wf")
                .setRetention(new RetentionDefaults(60_000L, null))
                .setStepLimit(7)
                .setCreatedOn(0)
                .setModifiedOn(0)
                .build());

    commands.pipeInput(KEY, create("i1", "r1")); // as any Kafka client: no version, no limits

    Activation activation = (Activation) tasks.readValue().getBody();
    assertThat(activation.getMaxSteps()).isEqualTo(7);
    assertThat(status.readValue().getVersionId()).isEqualTo("v1");
    results.pipeInput(KEY, report(1, new RunCompleted("1", true)));
    driver.advanceWallClockTime(Duration.ofSeconds(61)); // the definition's success retention
    assertThat(status.readValuesToList()).last().isNull();
  }

  @Test
  void shouldRefuseACreateForAnUnknownWorkflowOnceTheGracePeriodEndsWhateverItsSenderClaims() {
    Command unknown = create("u1", "r-unknown");
    unknown.setWorkflow("nowhere");
    Command claimed = create("u2", "r-claimed");
    claimed.setWorkflow("nowhere");
    ((CreateInstance) claimed.getAction()).setWorkflowChecked(true); // ignored

    commands.pipeInput("acct/nowhere/u1", unknown);
    commands.pipeInput("acct/nowhere/u2", claimed);
    driver.advanceWallClockTime(DriverTopics.GRACE.minusMillis(100));

    assertThat(replies.isEmpty()).isTrue(); // held: the workflow may be registering right now
    driver.advanceWallClockTime(Duration.ofMillis(200));

    List<CommandReply> answers = replies.readValuesToList();
    assertThat(answers)
        .extracting(CommandReply::getRequestId)
        .containsExactly("r-unknown", "r-claimed");
    assertThat(answers)
        .allSatisfy(a -> assertThat(a.getOutcome()).isEqualTo(ReplyOutcome.NOT_FOUND))
        .allSatisfy(
            a ->
                assertThat(a.getMessage())
                    .isEqualTo("workflow 'nowhere' not found in account 'acct'"));
    assertThat(status.isEmpty()).isTrue();
    assertThat(tasks.isEmpty()).isTrue();
    List<TestRecord<String, byte[]>> dead = deadLetters.readRecordsToList();
    assertThat(dead)
        .extracting(TestRecord::key)
        .containsExactly("acct/nowhere/u1", "acct/nowhere/u2");
    assertThat(dead.get(0).value())
        .isEqualTo(
            topics
                .serde(Topics.COMMANDS)
                .serializer()
                .serialize(topics.name(Topics.COMMANDS), unknown));
    assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.REASON)).contains("not found");
    assertThat(DeadLetters.header(dead.get(1).headers(), DeadLetters.SOURCE_TOPIC))
        .isEqualTo(topics.name(Topics.COMMANDS));
    assertThat(DeadLetters.header(dead.get(1).headers(), DeadLetters.SOURCE_OFFSET)).isEqualTo("1");
  }

  @Test
  void shouldStartAHeldCreateAsSoonAsItsWorkflowRegisters() {
    Command early = create("e1", "r-early");
    early.setWorkflow("late");

    commands.pipeInput("acct/late/e1", early); // its sender saw the worker before we did
    driver.advanceWallClockTime(Duration.ofMillis(200));
    assertThat(replies.isEmpty()).isTrue();
    register("acct", "late");
    driver.advanceWallClockTime(Duration.ofMillis(200));

    CommandReply reply = replies.readValue();
    assertThat(reply.getRequestId()).isEqualTo("r-early");
    assertThat(reply.getOutcome()).isEqualTo(ReplyOutcome.OK);
    Activation activation = (Activation) tasks.readValue().getBody();
    assertThat(activation.getInstanceId()).isEqualTo("e1");
    assertThat(deadLetters.isEmpty()).isTrue();
    driver.advanceWallClockTime(DriverTopics.GRACE);
    assertThat(replies.isEmpty()).isTrue(); // released once, not again when the hold would end
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void shouldActivateCreatedInstanceAndReplyOk() {
    commands.pipeInput(KEY, create("i1", "r1"));

    Activation activation = (Activation) tasks.readValue().getBody();
    assertThat(activation.getToken()).isEqualTo(1);
    assertThat(activation.getParams()).isEqualTo("{\"n\":1}");
    assertThat(activation.getHistory()).isEmpty();
    assertThat(activation.getMaxSteps()).isEqualTo(500); // the configured limit
    CommandReply reply = replies.readValue();
    assertThat(reply.getRequestId()).isEqualTo("r1");
    assertThat(reply.getOutcome()).isEqualTo(ReplyOutcome.OK);
    assertThat(status.readValue().getStatus()).isEqualTo(InstanceStatusCode.RUNNING);
  }

  @Test
  void shouldReplyAlreadyExistsForSecondCreateWithSameId() {
    commands.pipeInput(KEY, create("i1", "r1"));
    commands.pipeInput(KEY, create("i1", "r2"));

    List<CommandReply> all = replies.readValuesToList();
    assertThat(all)
        .extracting(CommandReply::getOutcome)
        .containsExactly(ReplyOutcome.OK, ReplyOutcome.ALREADY_EXISTS);
    assertThat(tasks.readValuesToList()).hasSize(1);
  }

  @Test
  void shouldWakeSleepingInstanceWhenWallClockPassesDueTime() {
    commands.pipeInput(KEY, create("i1", "r1"));
    tasks.readValue();
    StepRecord done = step(0, StepKind.DO, StepStatus.SUCCEEDED).setOutput("1").build();
    StepRecord sleeping =
        step(1, StepKind.SLEEP, StepStatus.SLEEPING)
            .setWakeAt(START.toEpochMilli() + 5_000)
            .build();
    results.pipeInput(KEY, report(1, List.of(done, sleeping)));
    assertThat(lastStatus()).isEqualTo(InstanceStatusCode.WAITING);

    driver.advanceWallClockTime(Duration.ofSeconds(4));
    assertThat(tasks.isEmpty()).isTrue();

    driver.advanceWallClockTime(Duration.ofSeconds(2));
    Activation woken = (Activation) tasks.readValue().getBody();
    assertThat(woken.getToken()).isEqualTo(2);
    // The worker kept the step it ran; the activation brings what changed: the sleep ended.
    assertThat(woken.getHistoryFrom()).isEqualTo(1);
    assertThat(woken.getHistory())
        .extracting(StepRecord::getStatus)
        .containsExactly(StepStatus.SLEPT);
    assertThat(lastStatus()).isEqualTo(InstanceStatusCode.RUNNING);

    results.pipeInput(KEY, report(2, new RunCompleted("\"done\"", true)));
    InstanceSnapshot complete = status.readValuesToList().get(0);
    assertThat(complete.getStatus()).isEqualTo(InstanceStatusCode.COMPLETE);
    assertThat(complete.getOutput()).isEqualTo("\"done\"");
  }

  @Test
  void shouldFireTimerAlreadyDueWhenScheduledAfterLaterTicks() {
    commands.pipeInput(KEY, create("i1", "r1"));
    tasks.readValue();
    driver.advanceWallClockTime(Duration.ofSeconds(10)); // ticks move the scan cursor forward
    StepRecord retry =
        step(0, StepKind.DO, StepStatus.RETRY_WAIT)
            .setWakeAt(START.toEpochMilli() + 1_000) // the worker's clock lags: due long ago
            .build();
    results.pipeInput(KEY, report(1, List.of(retry)));
    assertThat(tasks.isEmpty()).isTrue();

    driver.advanceWallClockTime(Duration.ofMillis(100));

    assertThat(((Activation) tasks.readValue().getBody()).getToken()).isEqualTo(2);
  }

  @Test
  void shouldScheduleARetryOfAFixedDelayItselfAndSendTheWakeTimeWithTheNextActivation() {
    commands.pipeInput(KEY, create("i1", "r1"));
    tasks.readValue();
    driver.advanceWallClockTime(
        Duration.ofSeconds(10)); // the orchestrator's clock, not the worker's
    StepRecord retry =
        step(0, StepKind.DO, StepStatus.RETRY_WAIT)
            .setConfig(
                new dev.ferry.schemas.avro.ResolvedStepConfig(
                    3, 2_000L, dev.ferry.schemas.avro.Backoff.LINEAR, 1_000L, false))
            .setAttempts(
                List.of(
                    new dev.ferry.schemas.avro.Attempt(1, 0L, 0L, false, null),
                    new dev.ferry.schemas.avro.Attempt(2, 0L, 0L, false, null)))
            .build(); // no wakeAt: 2 s × 2 attempts, linear
    results.pipeInput(KEY, report(1, List.of(retry)));

    driver.advanceWallClockTime(Duration.ofMillis(3_900));
    assertThat(tasks.isEmpty()).isTrue();
    driver.advanceWallClockTime(Duration.ofMillis(200));

    Activation woken = (Activation) tasks.readValue().getBody();
    assertThat(woken.getHistoryFrom()).isZero();
    assertThat(woken.getHistory())
        .singleElement()
        .satisfies(entry -> assertThat(entry.getWakeAt()).isEqualTo(START.toEpochMilli() + 14_000));
  }

  @Test
  void shouldDeliverBufferedEventsOldestFirstOnePerWait() {
    commands.pipeInput(KEY, create("i1", "r1"));
    tasks.readValue();
    events.pipeInput(KEY, event("approval", "{\"n\":1}"));
    events.pipeInput(KEY, event("approval", "{\"n\":2}"));

    results.pipeInput(KEY, report(1, List.of(waiting(0, "first"))));
    Activation afterFirst = (Activation) tasks.readValue().getBody();
    assertThat(afterFirst.getHistory().get(0).getOutput()).isEqualTo("{\"n\":1}");

    results.pipeInput(KEY, report(2, List.of(waiting(1, "second"))));
    Activation afterSecond = (Activation) tasks.readValue().getBody();
    // Built on what the worker kept from activation 2: only the wait it received since.
    assertThat(afterSecond.getBaseToken()).isEqualTo(2);
    assertThat(afterSecond.getHistoryFrom()).isEqualTo(1);
    assertThat(afterSecond.getHistorySize()).isEqualTo(2);
    assertThat(afterSecond.getHistory())
        .extracting(StepRecord::getOutput)
        .containsExactly("{\"n\":2}");

    results.pipeInput(KEY, report(3, List.of(waiting(2, "third"))));
    assertThat(tasks.isEmpty()).isTrue(); // nothing left: the third wait really waits
    assertThat(lastStatus()).isEqualTo(InstanceStatusCode.WAITING);
  }

  @Test
  void shouldDeadLetterEventForUnknownInstanceSentWithoutRequestId() {
    events.pipeInput(KEY, event("approval", "{}"));

    TestRecord<String, byte[]> dead = deadLetters.readRecord();
    assertThat(DeadLetters.header(dead.headers(), DeadLetters.REASON)).contains("not found");
    assertThat(DeadLetters.header(dead.headers(), DeadLetters.SOURCE_TOPIC))
        .isEqualTo(topics.name(Topics.EVENTS));
  }

  private static StepRecord waiting(int position, String name) {
    return step(position, StepKind.WAIT_FOR_EVENT, StepStatus.WAITING)
        .setName(name)
        .setEventType("approval")
        .setWakeAt(START.toEpochMilli() + 60_000)
        .build();
  }

  private static InstanceEvent event(String type, String payload) {
    return InstanceEvent.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setAccount("acct")
        .setWorkflow("wf")
        .setInstanceId("i1")
        .setType(type)
        .setPayload(payload)
        .setSentAt(START.toEpochMilli())
        .build();
  }

  @Test
  void shouldRemoveFinishedInstanceFromStatusTopicWhenRetentionEnds() {
    commands.pipeInput(KEY, create("i1", "r1"));
    tasks.readValue();
    results.pipeInput(KEY, report(1, new RunCompleted("1", true)));
    assertThat(lastStatus()).isEqualTo(InstanceStatusCode.COMPLETE);

    driver.advanceWallClockTime(Duration.ofMinutes(5).plusSeconds(1)); // the default retention

    List<TestRecord<String, InstanceSnapshot>> after = status.readRecordsToList();
    assertThat(after).singleElement().satisfies(r -> assertThat(r.value()).isNull());
    commands.pipeInput(KEY, create("i1", "r2"));
    assertThat(replies.readValuesToList())
        .extracting(CommandReply::getOutcome)
        .containsExactly(ReplyOutcome.OK, ReplyOutcome.ALREADY_EXISTS);
  }

  @Test
  void shouldActivateAgainWhenLeaseExpiresWithoutReports() {
    commands.pipeInput(KEY, create("i1", "r1"));
    tasks.readValue();

    driver.advanceWallClockTime(Duration.ofSeconds(31));

    Activation again = (Activation) tasks.readValue().getBody();
    assertThat(again.getToken()).isEqualTo(2);
  }

  @Test
  void shouldSendTheWholeHistoryAfterALeaseExpiresSoNoUntakenResultIsBuiltOn() {
    commands.pipeInput(KEY, create("i1", "r1"));
    tasks.readValue();
    results.pipeInput(KEY, report(1, List.of(waiting(0, "first"))));
    events.pipeInput(KEY, event("approval", "{}"));
    Activation second = (Activation) tasks.readValue().getBody();
    assertThat(second.getBaseToken()).isEqualTo(1); // built on what the worker kept

    // The run of activation 2 goes silent; what it did comes, if at all, after the lease: too
    // late to be taken, though the worker that ran it keeps it in its view of activation 2.
    driver.advanceWallClockTime(Duration.ofSeconds(31));
    Activation third = (Activation) tasks.readValue().getBody();
    results.pipeInput(KEY, report(2, List.of(waiting(1, "second"))));

    assertThat(third.getToken()).isEqualTo(3);
    assertThat(third.getBaseToken()).isZero();
    assertThat(third.getHistoryFrom()).isZero();
    assertThat(third.getHistory()).extracting(StepRecord::getName).containsExactly("first");
    assertThat(tasks.isEmpty()).isTrue(); // the late report was not taken
  }

  @Test
  void shouldDeadLetterGarbageAndProcessTheNextGoodRecord() {
    var log =
        (ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger("dev.ferry.orchestrator.internal.DeadLetterRecords");
    var appender =
        new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
    appender.start();
    log.addAppender(appender);
    try {
      rawCommands.pipeInput(KEY, new byte[] {1, 2, 3, 4, 5, 6});
    } finally {
      log.detachAppender(appender);
    }
    commands.pipeInput(KEY, create("i1", "r1"));

    assertThat(appender.list)
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
              assertThat(event.getFormattedMessage())
                  .startsWith("dead-lettering " + KEY + " from t.commands-")
                  .contains("magic byte");
            });

    TestRecord<String, byte[]> dead = deadLetters.readRecord();
    assertThat(dead.value()).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(DeadLetters.header(dead.headers(), DeadLetters.REASON)).contains("magic byte");
    assertThat(DeadLetters.header(dead.headers(), DeadLetters.SOURCE_TOPIC))
        .isEqualTo(topics.name(Topics.COMMANDS));
    assertThat(replies.readValue().getOutcome()).isEqualTo(ReplyOutcome.OK);
  }

  @Test
  void shouldDeadLetterARecordWhoseLengthPrefixClaimsMoreThanItHoldsAndGoOn() {
    commands.pipeInput(KEY, create("i1", "r1")); // registers the Command schema
    int id = topics.registry().latest(topics.name(Topics.COMMANDS) + "-value").id();
    // 10 bytes whose first string claims 2^30 - 1 bytes.
    byte[] claims = {0, 0, 0, 0, (byte) id, (byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 7};

    rawCommands.pipeInput("acct/wf/i2", claims);
    commands.pipeInput("acct/wf/i3", create("i3", "r3"));

    TestRecord<String, byte[]> dead = deadLetters.readRecord();
    assertThat(dead.value()).containsExactly(claims);
    assertThat(DeadLetters.header(dead.headers(), DeadLetters.REASON))
        .contains("a string of 1073741823 bytes claimed where only 0 are left");
    assertThat(replies.readValuesToList())
        .extracting(CommandReply::getOutcome)
        .containsExactly(ReplyOutcome.OK, ReplyOutcome.OK);
  }

  @Test
  void shouldDeadLetterRecordWhoseKeyDoesNotMatchItsValue() {
    commands.pipeInput("acct/wf/other", create("i1", "r1"));

    assertThat(DeadLetters.header(deadLetters.readRecord().headers(), DeadLetters.REASON))
        .contains("does not match");
    assertThat(replies.isEmpty()).isTrue();
  }

  private InstanceStatusCode lastStatus() {
    List<InstanceSnapshot> all = status.readValuesToList();
    return all.get(all.size() - 1).getStatus();
  }

  private static StepRecord.Builder step(int position, StepKind kind, StepStatus status) {
    return TestRecords.step(position, kind, status, START.toEpochMilli());
  }

  private static Command create(String id, String requestId) {
    return Command.newBuilder()
        .setRequestId(requestId)
        .setAccount("acct")
        .setWorkflow("wf")
        .setInstanceId(id)
        .setIssuedAt(START.toEpochMilli())
        .setAction(
            CreateInstance.newBuilder()
                .setParams("{\"n\":1}")
                .setTriggerSource(TriggerSource.API)
                .build())
        .build();
  }

  private static WorkerReport report(long token, Object body) {
    return TestRecords.report("i1", token, START.toEpochMilli(), body);
  }
}
