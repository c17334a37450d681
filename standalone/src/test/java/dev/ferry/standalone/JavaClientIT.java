package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ferry.client.CreateOptions;
import dev.ferry.client.DeletedInstances;
import dev.ferry.client.InstanceDetails;
import dev.ferry.client.InstanceQuery;
import dev.ferry.client.InstanceStatus;
import dev.ferry.client.InstanceSummary;
import dev.ferry.client.Page;
import dev.ferry.client.RestartFrom;
import dev.ferry.client.StepOutput;
import dev.ferry.client.Workflow;
import dev.ferry.client.WorkflowInfo;
import dev.ferry.client.WorkflowInstance;
import dev.ferry.client.Workflows;
import dev.ferry.client.WorkflowsException;
import dev.ferry.examples.Examples;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Java client (module {@code client}) end to end against a running stack. */
class JavaClientIT {
  private static DevStack stack;
  private static Workflows workflows;

  @BeforeAll
  static void start() throws Exception {
    stack = TestStacks.start(Files.createTempDirectory("ferry-client-it"), Examples.registry());
    workflows =
        Workflows.connect(stack.gatewayUrl() + "/client/v4/accounts/acct", stack.token("acct"));
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  private static InstanceStatus awaitStatus(WorkflowInstance instance, InstanceStatus.Status want) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> instance.status().status() == want);
    return instance.status();
  }

  @Test
  void shouldCreateAnInstanceAndReadItsOutput() {
    WorkflowInstance created =
        workflows
            .workflow("three-steps")
            .create(CreateOptions.withId("client-1").params(Map.of("value", 4)));

    InstanceStatus done = awaitStatus(created, InstanceStatus.Status.COMPLETE);

    assertThat(created.id()).isEqualTo("client-1");
    assertThat(done.output().path("value").asInt()).isEqualTo(9);
    assertThat(done.error()).isNull();
    assertThat(workflows.workflow("three-steps").get("client-1").status().status())
        .isEqualTo(InstanceStatus.Status.COMPLETE);
  }

  @Test
  void shouldDeliverAnEventToAWaitingInstance() {
    WorkflowInstance approval =
        workflows
            .workflow("approval")
            .create(CreateOptions.withId("client-approval").params(Map.of("request", "tea")));
    awaitStatus(approval, InstanceStatus.Status.WAITING);

    approval.sendEvent("approval", Map.of("approver", "ada", "approved", true));

    InstanceStatus done = awaitStatus(approval, InstanceStatus.Status.COMPLETE);
    assertThat(done.output().asText()).contains("approved by ada");
  }

  @Test
  void shouldPauseResumeTerminateAndRestart() {
    WorkflowInstance sleepy =
        workflows
            .workflow("sleepy")
            .create(CreateOptions.withId("client-sleepy").params(Map.of("sleepSeconds", 600)));
    awaitStatus(sleepy, InstanceStatus.Status.WAITING);

    sleepy.pause();
    awaitStatus(sleepy, InstanceStatus.Status.PAUSED);
    sleepy.resume();
    awaitStatus(sleepy, InstanceStatus.Status.WAITING);
    sleepy.terminate();
    InstanceStatus terminated = awaitStatus(sleepy, InstanceStatus.Status.TERMINATED);
    sleepy.restart();

    assertThat(terminated.status().isFinished()).isTrue();
    awaitStatus(sleepy, InstanceStatus.Status.WAITING);
    sleepy.terminate();
  }

  @Test
  void shouldCreateABatchSkippingIdsThatExist() {
    Workflow three = workflows.workflow("three-steps");
    three.create(CreateOptions.withId("batch-a").params(Map.of("value", 1)));

    List<WorkflowInstance> created =
        three.createBatch(
            List.of(
                CreateOptions.withId("batch-a"),
                CreateOptions.withId("batch-b").params(Map.of("value", 2)),
                CreateOptions.defaults().params(Map.of("value", 3))));

    assertThat(created).hasSize(2);
    assertThat(created.get(0).id()).isEqualTo("batch-b");
    assertThat(
            awaitStatus(created.get(1), InstanceStatus.Status.COMPLETE)
                .output()
                .path("value")
                .asInt())
        .isEqualTo(7);
  }

  @Test
  void shouldThrowWithTheApiErrorCodeWhenRefused() {
    Workflow three = workflows.workflow("three-steps");
    three.create(CreateOptions.withId("client-dup"));

    assertThatThrownBy(() -> three.create(CreateOptions.withId("client-dup")))
        .isInstanceOfSatisfying(
            WorkflowsException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(409);
              assertThat(e.code()).isEqualTo(10401);
            });
    assertThatThrownBy(() -> three.get("nobody-home"))
        .isInstanceOfSatisfying(
            WorkflowsException.class, e -> assertThat(e.code()).isEqualTo(10400));
    assertThatThrownBy(
            () ->
                Workflows.connect(stack.gatewayUrl() + "/client/v4/accounts/acct", "bad-token")
                    .workflow("three-steps")
                    .create())
        .isInstanceOfSatisfying(
            WorkflowsException.class, e -> assertThat(e.httpStatus()).isEqualTo(401));
    assertThatThrownBy(() -> Workflows.connect(stack.gatewayUrl(), "t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/client/v4/accounts/");
  }

  @Test
  void shouldDescribeListAndReadStepsOfInstances() {
    Workflow three = workflows.workflow("three-steps");
    WorkflowInstance done =
        three.create(CreateOptions.withId("client-read").params(Map.of("value", 2)));
    awaitStatus(done, InstanceStatus.Status.COMPLETE);

    InstanceDetails details = done.details();
    StepOutput output = done.stepOutput("add one-1", "step");
    Page<InstanceSummary> complete =
        three.instances(InstanceQuery.all().status(InstanceStatus.Status.COMPLETE).perPage(100));
    WorkflowInfo info = three.describe();

    assertThat(details.steps())
        .extracting(InstanceDetails.Step::name)
        .containsExactly("double", "add one", "describe");
    assertThat(details.steps().get(0).attempts()).hasSize(1);
    assertThat(details.lastSuccessfulStep().name()).isEqualTo("describe");
    assertThat(output.output().asInt()).isEqualTo(5);
    assertThat(complete.items()).extracting(InstanceSummary::id).contains("client-read");
    assertThat(info.instances().get(InstanceStatus.Status.COMPLETE)).isPositive();
    assertThat(workflows.list(1, 100, "three").items())
        .extracting(WorkflowInfo::name)
        .containsExactly("three-steps");
  }

  @Test
  void shouldRestartFromAStepAndDeleteInBatches() {
    Workflow three = workflows.workflow("three-steps");
    WorkflowInstance instance =
        three.create(CreateOptions.withId("client-restart").params(Map.of("value", 1)));
    awaitStatus(instance, InstanceStatus.Status.COMPLETE);

    InstanceDetails before = instance.details();

    instance.restart(RestartFrom.step("add one").type("do"));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              InstanceDetails now = instance.details();
              return now.status() == InstanceStatus.Status.COMPLETE
                  && now.steps().size() == 3
                  && now.steps().get(1).start().isAfter(before.steps().get(1).start());
            });
    // The step before the restart point kept its recorded run.
    assertThat(instance.details().steps().get(0).start()).isEqualTo(before.steps().get(0).start());
    DeletedInstances deleted = three.deleteInstances(List.of("client-restart", "nobody-here"));

    assertThat(deleted.deleted()).containsExactly("client-restart");
    assertThat(deleted.errors()).extracting(DeletedInstances.Refusal::code).containsExactly(10400);
  }
}
