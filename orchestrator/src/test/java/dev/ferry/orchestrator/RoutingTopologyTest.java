package dev.ferry.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.engine.TestRecords;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.avro.Activation;
import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.avro.CommandReply;
import dev.ferry.schemas.avro.Control;
import dev.ferry.schemas.avro.ControlAction;
import dev.ferry.schemas.avro.InstanceSnapshot;
import dev.ferry.schemas.avro.InstanceStatusCode;
import dev.ferry.schemas.avro.NotHosted;
import dev.ferry.schemas.avro.PauseInstance;
import dev.ferry.schemas.avro.RunCompleted;
import dev.ferry.schemas.avro.Task;
import dev.ferry.schemas.avro.WorkerReport;
import dev.ferry.schemas.registry.SchemaRegistryClients;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tasks go only to a present worker group that hosts the workflow; without one, instances wait. */
class RoutingTopologyTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final Duration LONG = Duration.ofDays(3650);

  private final Topics topics =
      new Topics("t.", SchemaRegistryClients.forUrl("mock://routing-" + UUID.randomUUID()));
  private TopologyTestDriver driver;
  private DriverTopics io;
  private TestInputTopic<String, Command> commands;
  private TestInputTopic<String, WorkerReport> results;
  private TestOutputTopic<String, Task> orders;
  private TestOutputTopic<String, Task> billing;
  private TestOutputTopic<String, InstanceSnapshot> status;
  private TestOutputTopic<String, CommandReply> replies;

  @BeforeEach
  void start() {
    var settings =
        new OrchestratorTopology.Settings(
            LEASE,
            Duration.ofMillis(50),
            1000,
            500,
            Duration.ofDays(1),
            1000,
            DriverTopics.GRACE,
            0);
    driver = DriverTopics.driver(topics, settings, START);
    io = new DriverTopics(driver, topics);
    commands = io.input(Topics.COMMANDS);
    results = io.input(Topics.RESULTS);
    orders = io.tasks("orders");
    billing = io.tasks("billing");
    status = io.output(Topics.STATUS);
    replies = io.output(Topics.REPLIES);
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void shouldSendEachWorkflowsTasksOnlyToTheGroupThatHostsIt() {
    io.announce("orders", "o1", "acct", "v1", START, LONG, "checkout");
    io.announce("billing", "b1", "acct", "v1", START, LONG, "invoice");

    create("checkout", "c1", null);
    create("invoice", "i1", null);

    assertThat(activated(orders)).containsExactly("checkout/c1");
    assertThat(activated(billing)).containsExactly("invoice/i1");
  }

  @Test
  void shouldShareAWorkflowHostedByTwoGroupsAndKeepEachInstanceInItsGroup() {
    io.announce("orders", "o1", "acct", "v1", START, LONG, "checkout");
    io.announce("billing", "b1", "acct", "v1", START, LONG, "checkout");

    IntStream.range(0, 20).forEach(i -> create("checkout", "c" + i, null));
    List<String> toOrders = activated(orders);
    List<String> toBilling = activated(billing);

    assertThat(toOrders).isNotEmpty();
    assertThat(toBilling).isNotEmpty();
    assertThat(toOrders.size() + toBilling.size()).isEqualTo(20);
    // The lease re-sends each instance to the group that had it.
    driver.advanceWallClockTime(LEASE.plusSeconds(1));
    assertThat(activated(orders)).containsExactlyInAnyOrderElementsOf(toOrders);
    assertThat(activated(billing)).containsExactlyInAnyOrderElementsOf(toBilling);
  }

  @Test
  void shouldKeepAnInstanceQueuedForAWorkerAndStartItWhenAGroupHostingItAppears() {
    io.register("acct", "checkout", "v7", START); // by a worker that has gone since
    create("checkout", "c1", "v7");

    assertThat(replies.readValue().getStatus()).isEqualTo(InstanceStatusCode.QUEUED);
    InstanceSnapshot waiting = lastSnapshot();
    assertThat(waiting.getStatus()).isEqualTo(InstanceStatusCode.QUEUED);
    assertThat(waiting.getStartedAt()).isNull();
    assertThat(waiting.getWaitingForWorker().getWorkflow()).isEqualTo("checkout");
    assertThat(waiting.getWaitingForWorker().getVersionId()).isEqualTo("v7");
    assertThat(waiting.getWaitingForWorker().getSince()).isEqualTo(START.toEpochMilli());

    io.announce("orders", "o1", "acct", "v7", START, LONG, "checkout");
    driver.advanceWallClockTime(Duration.ofSeconds(1));

    assertThat(activated(orders)).containsExactly("checkout/c1");
    InstanceSnapshot running = lastSnapshot();
    assertThat(running.getStatus()).isEqualTo(InstanceStatusCode.RUNNING);
    assertThat(running.getWaitingForWorker()).isNull();
    assertThat(running.getStartedAt()).isNotNull();
    // the held-back start event is not counted: readers must not wait for an event never written
    assertThat(running.getHistoryEvents()).isEqualTo(2);
  }

  @Test
  void shouldLetAnInstanceWaitWhenItsGroupLeavesAndRunItWhenTheGroupReturns() {
    io.announce("orders", "o1", "acct", "v1", START, LONG, "checkout");
    create("checkout", "c1", null);
    assertThat(activated(orders)).containsExactly("checkout/c1");

    io.withdraw("orders", "o1");
    driver.advanceWallClockTime(LEASE.plusSeconds(1));

    assertThat(orders.isEmpty()).isTrue();
    InstanceSnapshot waiting = lastSnapshot();
    assertThat(waiting.getStatus()).isEqualTo(InstanceStatusCode.QUEUED);
    assertThat(waiting.getWaitingForWorker()).isNotNull();

    io.announce("orders", "o2", "acct", "v1", START.plus(LEASE), LONG, "checkout");
    driver.advanceWallClockTime(Duration.ofSeconds(1));
    assertThat(activated(orders)).containsExactly("checkout/c1");
  }

  @Test
  void shouldTreatAWorkerWhoseAnnouncementExpiredAsGone() {
    io.announce("orders", "o1", "acct", "v1", START, Duration.ofSeconds(10), "checkout");
    driver.advanceWallClockTime(Duration.ofSeconds(11));

    create("checkout", "c1", null);

    assertThat(orders.isEmpty()).isTrue();
    assertThat(lastSnapshot().getWaitingForWorker()).isNotNull();
  }

  @Test
  void shouldRouteAgainInsteadOfFailingWhenAWorkerHandsATaskBack() {
    io.announce("orders", "o1", "acct", "v1", START, LONG, "checkout");
    create("checkout", "c1", null);
    Activation first = activation(orders.readValue());

    results.pipeInput(
        "acct/checkout/c1",
        report("checkout", "c1", first.getToken(), new NotHosted("orders", "not here")));
    assertThat(orders.isEmpty()).isTrue();
    driver.advanceWallClockTime(Duration.ofMillis(1100));

    Activation again = activation(orders.readValue());
    assertThat(again.getToken()).isGreaterThan(first.getToken());
    assertThat(status.readValuesToList())
        .extracting(InstanceSnapshot::getStatus)
        .doesNotContain(InstanceStatusCode.ERRORED);
  }

  @Test
  void shouldPreferGroupsHostingTheInstancesVersionAndRecordEveryVersionThatRanIt() {
    io.announce("orders", "o1", "acct", "v1", START, LONG, "checkout");
    io.announce("billing", "b1", "acct", "v2", START, LONG, "checkout");
    IntStream.range(0, 10).forEach(i -> create("checkout", "c" + i, "v1"));
    assertThat(activated(orders)).hasSize(10);
    assertThat(billing.isEmpty()).isTrue();

    create("checkout", "old", "v1");
    Activation first = activation(orders.readValue());
    results.pipeInput(
        "acct/checkout/old", report("checkout", "old", first.getToken(), List.of(), "v1"));
    io.withdraw("orders", "o1");
    driver.advanceWallClockTime(LEASE.plusSeconds(1)); // lost with its worker: only v2 is left

    Activation moved =
        activation(
            billing.readRecordsToList().stream()
                .map(TestRecord::value)
                .filter(t -> ((Activation) t.getBody()).getInstanceId().equals("old"))
                .findFirst()
                .orElseThrow());
    results.pipeInput(
        "acct/checkout/old",
        report("checkout", "old", moved.getToken(), new RunCompleted("1", true), "v2"));
    InstanceSnapshot done = lastSnapshotOf("old");
    assertThat(done.getStatus()).isEqualTo(InstanceStatusCode.COMPLETE);
    assertThat(done.getVersionsRun()).containsExactly("v1", "v2");
  }

  @Test
  void shouldSendAPauseToTheGroupRunningTheInstance() {
    io.announce("billing", "b1", "acct", "v1", START, LONG, "checkout");
    create("checkout", "c1", null);
    Activation running = activation(billing.readValue());

    commands.pipeInput(
        "acct/checkout/c1",
        Command.newBuilder()
            .setRequestId("pause")
            .setAccount("acct")
            .setWorkflow("checkout")
            .setInstanceId("c1")
            .setIssuedAt(START.toEpochMilli())
            .setAction(new PauseInstance(null, true))
            .build());

    Control control = (Control) billing.readValue().getBody();
    assertThat(control.getAction()).isEqualTo(ControlAction.PAUSE);
    assertThat(control.getToken()).isEqualTo(running.getToken());
    assertThat(orders.isEmpty()).isTrue();
  }

  private void create(String workflow, String id, String versionId) {
    commands.pipeInput(
        "acct/" + workflow + "/" + id,
        TestRecords.apiCreate(workflow, id, versionId, START.toEpochMilli()));
  }

  private static WorkerReport report(String workflow, String id, long token, Object body) {
    return report(workflow, id, token, body, null);
  }

  private static WorkerReport report(
      String workflow, String id, long token, Object body, String versionId) {
    WorkerReport report = TestRecords.report(id, token, START.toEpochMilli(), body);
    report.setWorkflow(workflow);
    report.setVersionId(versionId);
    return report;
  }

  private static Activation activation(Task task) {
    return (Activation) task.getBody();
  }

  private static List<String> activated(TestOutputTopic<String, Task> topic) {
    return topic.readValuesToList().stream()
        .filter(t -> t.getBody() instanceof Activation)
        .map(t -> activation(t).getWorkflow() + "/" + activation(t).getInstanceId())
        .toList();
  }

  private InstanceSnapshot lastSnapshot() {
    List<InstanceSnapshot> all = status.readValuesToList();
    return all.get(all.size() - 1);
  }

  private InstanceSnapshot lastSnapshotOf(String id) {
    List<InstanceSnapshot> all =
        status.readValuesToList().stream().filter(s -> s.getInstanceId().equals(id)).toList();
    return all.get(all.size() - 1);
  }
}
