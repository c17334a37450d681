package dev.ferry.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.engine.TestRecords;
import dev.ferry.orchestrator.internal.OrchestratorMetrics;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.avro.InstanceEvent;
import dev.ferry.schemas.avro.RunCompleted;
import dev.ferry.schemas.avro.StepKind;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.StepStatus;
import dev.ferry.schemas.avro.Task;
import dev.ferry.schemas.avro.WorkerReport;
import dev.ferry.schemas.registry.SchemaRegistryClients;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the orchestrator counts as it decides, on the topology with a wall clock it drives. */
class MetricsTopologyTest {
  private static final String KEY = "acct/wf/i1";
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private final Topics topics =
      new Topics("t.", SchemaRegistryClients.forUrl("mock://metrics-" + UUID.randomUUID()));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private TopologyTestDriver driver;
  private TestInputTopic<String, Command> commands;
  private TestInputTopic<String, WorkerReport> results;
  private TestOutputTopic<String, Task> tasks;

  @BeforeEach
  void start() {
    driver =
        DriverTopics.driver(
            topics,
            OrchestratorTopology.Settings.defaults(),
            START,
            new OrchestratorMetrics(registry));
    DriverTopics io = new DriverTopics(driver, topics);
    commands = io.input(Topics.COMMANDS);
    results = io.input(Topics.RESULTS);
    tasks = io.tasks("workers");
    io.announce("workers", "w-1", "acct", "v1", START, Duration.ofDays(3650), "wf");
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void shouldCountACreateAndItsEndWithTheTimeBetween() {
    commands.pipeInput(KEY, TestRecords.apiCreate("wf", "i1", null, START.toEpochMilli()));
    tasks.readValue();
    driver.advanceWallClockTime(Duration.ofSeconds(2));

    results.pipeInput(
        KEY, TestRecords.report("i1", 1, START.toEpochMilli(), new RunCompleted("1", true)));

    assertThat(registry.get("ferry.instance.creations").tag("workflow", "wf").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("ferry.instances.ended").tag("status", "complete").counter().count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("ferry.instance.latency")
                .tag("status", "complete")
                .timer()
                .totalTime(TimeUnit.MILLISECONDS))
        .isEqualTo(2_000);
  }

  @Test
  void shouldMeasureHowLateATimerFires() {
    commands.pipeInput(KEY, TestRecords.apiCreate("wf", "i1", null, START.toEpochMilli()));
    tasks.readValue();
    StepRecord sleeping =
        TestRecords.step(0, StepKind.SLEEP, StepStatus.SLEEPING, START.toEpochMilli())
            .setWakeAt(START.toEpochMilli() + 5_000)
            .build();
    results.pipeInput(KEY, TestRecords.report("i1", 1, START.toEpochMilli(), List.of(sleeping)));

    driver.advanceWallClockTime(Duration.ofMillis(5_300)); // the tick that fires it comes late

    var lateness = registry.get("ferry.timer.lateness").tag("kind", "sleep").timer();
    assertThat(lateness.count()).isEqualTo(1);
    assertThat(lateness.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(300);
  }

  @Test
  void shouldCountDeadLettersByReason() {
    TestInputTopic<String, byte[]> raw =
        driver.createInputTopic(
            topics.name(Topics.COMMANDS),
            Serdes.String().serializer(),
            Serdes.ByteArray().serializer());
    TestInputTopic<String, InstanceEvent> events =
        new DriverTopics(driver, topics).input(Topics.EVENTS);

    raw.pipeInput(KEY, new byte[] {1, 2, 3});
    events.pipeInput(
        KEY,
        InstanceEvent.newBuilder()
            .setEventId("e-1")
            .setAccount("acct")
            .setWorkflow("wf")
            .setInstanceId("i1")
            .setType("approval")
            .setPayload("{}")
            .setSentAt(START.toEpochMilli())
            .build());

    assertThat(registry.get("ferry.dead.letters").tag("reason", "undecodable").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("ferry.dead.letters").tag("reason", "refused").counter().count())
        .isEqualTo(1);
    assertThat(
            registry.get("ferry.dead.letters").tag("reason", "processing_failed").counter().count())
        .isZero();
  }
}
