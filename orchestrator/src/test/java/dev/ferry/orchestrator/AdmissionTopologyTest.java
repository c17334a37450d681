package dev.ferry.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.engine.TestRecords;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.avro.Activation;
import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.avro.CommandReply;
import dev.ferry.schemas.avro.InstanceStatusCode;
import dev.ferry.schemas.avro.RunCompleted;
import dev.ferry.schemas.avro.StepKind;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.StepStatus;
import dev.ferry.schemas.avro.Task;
import dev.ferry.schemas.avro.WorkerReport;
import dev.ferry.schemas.registry.SchemaRegistryClients;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The running limit (one slot here): queueing, and woken instances starting before new ones. */
class AdmissionTopologyTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private final Topics topics =
      new Topics("t.", SchemaRegistryClients.forUrl("mock://admission-" + UUID.randomUUID()));
  private TopologyTestDriver driver;
  private TestInputTopic<String, Command> commands;
  private TestInputTopic<String, WorkerReport> results;
  private TestOutputTopic<String, Task> tasks;

  /** The worker group present from the start, hosting the workflows the tests use. */
  private static final String GROUP = "workers";

  private TestOutputTopic<String, CommandReply> replies;

  @BeforeEach
  void start() {
    var settings =
        new OrchestratorTopology.Settings(
            Duration.ofMinutes(10),
            Duration.ofMillis(50),
            100,
            500,
            Duration.ofDays(1),
            1,
            DriverTopics.GRACE,
            0);
    driver = DriverTopics.driver(topics, settings, START);
    DriverTopics io = new DriverTopics(driver, topics);
    commands = io.input(Topics.COMMANDS);
    results = io.input(Topics.RESULTS);
    tasks = io.tasks(GROUP);
    io.announce(GROUP, "w1", "acct", "v1", START, Duration.ofDays(3650), "wf");
    replies = io.output(Topics.REPLIES);
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void shouldQueueBeyondTheLimitAndStartWokenInstancesBeforeNewOnes() {
    create("i1");
    assertThat(activated()).containsExactly("i1");
    create("i2");
    assertThat(replies.readValuesToList())
        .extracting(CommandReply::getStatus)
        .containsExactly(InstanceStatusCode.RUNNING, InstanceStatusCode.QUEUED);
    assertThat(activated()).isEmpty();

    // i1 sleeps: waiting instances hold no slot, so i2 starts
    results.pipeInput(key("i1"), report("i1", 1, sleep(START.toEpochMilli() + 1_000)));
    assertThat(activated()).containsExactly("i2");

    create("i3"); // queued, new
    driver.advanceWallClockTime(Duration.ofSeconds(2)); // i1 wakes: queued, woken
    assertThat(activated()).isEmpty();

    results.pipeInput(
        key("i2"),
        report("i2", 2, new RunCompleted("2", true))); // token 1 went to the queued create
    assertThat(activated()).containsExactly("i1"); // woken before new, though i3 queued earlier

    results.pipeInput(key("i1"), report("i1", 3, new RunCompleted("1", true)));
    assertThat(activated()).containsExactly("i3");
  }

  @Test
  void shouldKeepTheRunningCountsInAStoreOfTheirOwnSoATaskStartsWithoutScanningInstances() {
    var slots = driver.<String, String>getKeyValueStore(OrchestratorTopology.RUNNING_SLOTS_STORE);
    create("i1");
    activated();

    assertThat(slots.get("acct/wf")).isEqualTo("1");
    assertThat(slots.get("\u0000counted")).isEqualTo("1");

    results.pipeInput(key("i1"), report("i1", 1, sleep(START.toEpochMilli() + 1_000)));

    assertThat(slots.get("acct/wf")).isNull(); // a sleeping instance holds no slot
  }

  private List<String> activated() {
    return tasks.readRecordsToList().stream()
        .map(TestRecord::value)
        .filter(t -> t.getBody() instanceof Activation)
        .map(t -> ((Activation) t.getBody()).getInstanceId())
        .toList();
  }

  private void create(String id) {
    commands.pipeInput(key(id), TestRecords.apiCreate("wf", id, null, START.toEpochMilli()));
  }

  private static String key(String id) {
    return "acct/wf/" + id;
  }

  private static List<StepRecord> sleep(long until) {
    return List.of(
        StepRecord.newBuilder()
            .setPosition(0)
            .setKind(StepKind.SLEEP)
            .setName("nap")
            .setCount(1)
            .setStatus(StepStatus.SLEEPING)
            .setStartedAt(START.toEpochMilli())
            .setWakeAt(until)
            .build());
  }

  private static WorkerReport report(String id, long token, Object body) {
    return TestRecords.report(id, token, START.toEpochMilli(), body);
  }
}
