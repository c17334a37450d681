package dev.ferry.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.engine.TestRecords;
import dev.ferry.schemas.DeadLetters;
import dev.ferry.schemas.ErrorNames;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.avro.Activation;
import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.avro.Control;
import dev.ferry.schemas.avro.ControlAction;
import dev.ferry.schemas.avro.InstanceSnapshot;
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
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An input whose processing throws errors its instance only; the partition goes on. */
class ContainmentTopologyTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final String GROUP = "workers";

  private final Topics topics =
      new Topics("t.", SchemaRegistryClients.forUrl("mock://containment-" + UUID.randomUUID()));
  private TopologyTestDriver driver;
  private TestInputTopic<String, Command> commands;
  private TestInputTopic<String, WorkerReport> results;
  private TestOutputTopic<String, Task> tasks;
  private TestOutputTopic<String, InstanceSnapshot> status;
  private TestOutputTopic<String, byte[]> deadLetters;

  @BeforeEach
  void start() {
    driver = DriverTopics.driver(topics, OrchestratorTopology.Settings.defaults(), START);
    DriverTopics io = new DriverTopics(driver, topics);
    io.announce(GROUP, "w1", "acct", "v1", START, Duration.ofDays(3650), "wf");
    commands = io.input(Topics.COMMANDS);
    results = io.input(Topics.RESULTS);
    tasks = io.tasks(GROUP);
    status = io.output(Topics.STATUS);
    deadLetters =
        driver.createOutputTopic(
            topics.deadLetter(), Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void shouldErrorOnlyTheInstanceWhoseReportCannotBeDecidedAndGoOnWithTheOthers() {
    create("i1");
    create("i2");
    assertThat(tasks.readValuesToList()).hasSize(2);

    // A sleep without a wake time makes the decision throw (a bug the decider does not guard).
    StepRecord broken =
        StepRecord.newBuilder()
            .setPosition(0)
            .setKind(StepKind.SLEEP)
            .setName("nap")
            .setCount(1)
            .setStatus(StepStatus.SLEEPING)
            .setStartedAt(START.toEpochMilli())
            .build();
    results.pipeInput("acct/wf/i1", TestRecords.report("i1", 1, 0, List.of(broken)));
    results.pipeInput("acct/wf/i2", TestRecords.report("i2", 1, 0, new RunCompleted("2", true)));

    List<InstanceSnapshot> snapshots = status.readValuesToList();
    InstanceSnapshot failed = last(snapshots, "i1");
    assertThat(failed.getStatus()).isEqualTo(InstanceStatusCode.ERRORED);
    assertThat(failed.getError().getName()).isEqualTo(ErrorNames.INTERNAL);
    assertThat(failed.getError().getMessage())
        .contains("could not process a worker report")
        .contains("NullPointerException");
    assertThat(last(snapshots, "i2").getStatus()).isEqualTo(InstanceStatusCode.COMPLETE);

    TestRecord<String, byte[]> dead = deadLetters.readRecord();
    assertThat(dead.key()).isEqualTo("acct/wf/i1");
    assertThat(DeadLetters.header(dead.headers(), DeadLetters.REASON))
        .startsWith("processing failed: java.lang.NullPointerException");
    assertThat(DeadLetters.header(dead.headers(), DeadLetters.SOURCE_TOPIC))
        .isEqualTo(topics.name(Topics.RESULTS));

    Control stop = (Control) tasks.readValue().getBody();
    assertThat(stop.getAction()).isEqualTo(ControlAction.TERMINATE);
    assertThat(stop.getToken()).isEqualTo(1);

    // The same report again is stale now: nothing throws, nothing changes.
    results.pipeInput("acct/wf/i1", TestRecords.report("i1", 1, 0, List.of(broken)));
    assertThat(deadLetters.isEmpty()).isTrue();
    assertThat(status.isEmpty()).isTrue();
    driver.advanceWallClockTime(Duration.ofMinutes(1)); // no lease timer of it fires either
    assertThat(tasks.readValuesToList())
        .noneMatch(t -> t.getBody() instanceof Activation a && a.getInstanceId().equals("i1"));
  }

  private void create(String id) {
    commands.pipeInput(
        "acct/wf/" + id, TestRecords.apiCreate("wf", id, null, START.toEpochMilli()));
  }

  private static InstanceSnapshot last(List<InstanceSnapshot> snapshots, String id) {
    List<InstanceSnapshot> of =
        snapshots.stream().filter(s -> s.getInstanceId().equals(id)).toList();
    return of.get(of.size() - 1);
  }
}
