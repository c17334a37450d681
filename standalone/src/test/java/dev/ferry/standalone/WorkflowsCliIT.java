package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.client.InstanceStatus;
import dev.ferry.client.Workflows;
import dev.ferry.examples.Examples;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code ferry workflows …} and {@code ferry kafka tail} as a user runs them: the launcher's
 * command line against a running stack, found through its data folder with no other options.
 */
class WorkflowsCliIT {
  private static Path data;
  private static DevStack stack;
  private static Workflows client;

  @BeforeAll
  static void start() throws Exception {
    data = Files.createTempDirectory("ferry-cli-it");
    stack = TestStacks.start(data, Examples.registry());
    client =
        Workflows.connect(stack.gatewayUrl() + "/client/v4/accounts/acct", stack.token("acct"));
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  record Run(int exit, String out, String err) {
    JsonNode json() throws Exception {
      return new ObjectMapper().readTree(out);
    }
  }

  /** The launcher with these arguments and {@code --data-dir} of the stack. */
  private static Run ferry(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--data-dir");
    all.add(data.toString());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = FerryCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  private static void awaitStatus(String workflow, String id, InstanceStatus.Status status) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> client.workflow(workflow).instance(id).status().status() == status);
  }

  @Test
  void shouldTriggerAnInstanceAndDescribeItStepByStep() throws Exception {
    Run trigger = ferry("workflows", "trigger", "three-steps", "{\"value\": 4}", "--id", "cli-1");
    awaitStatus("three-steps", "cli-1", InstanceStatus.Status.COMPLETE);
    Run describe = ferry("workflows", "instances", "describe", "three-steps", "cli-1");
    Run json = ferry("workflows", "instances", "describe", "three-steps", "cli-1", "--json");

    assertThat(trigger.exit()).isZero();
    assertThat(trigger.out()).contains("Workflow instance \"cli-1\" has been queued successfully");
    assertThat(describe.exit()).as(describe.err()).isZero();
    assertThat(describe.out())
        .contains("Status:                complete")
        .contains("Params:                {\"value\":4}")
        .contains("1. Step  double")
        .contains("2. Step  add one")
        .contains("3. Step  describe")
        .contains("Output:      9")
        .contains("succeeded");
    assertThat(json.json().path("status").asText()).isEqualTo("complete");
    assertThat(json.json().path("steps")).hasSize(3);
  }

  @Test
  void shouldListWorkflowsAndDescribeOneWithItsLatestVersion() {
    Run list = ferry("workflows", "list", "--per-page", "100");
    Run describe = ferry("workflows", "describe", "sleepy");

    assertThat(list.exit()).isZero();
    assertThat(list.out()).contains("three-steps").contains("dev.ferry.examples.SleepyWorkflow");
    assertThat(describe.out())
        .contains("Name:                  sleepy")
        .contains("Latest Version:")
        .contains("Language:    java");
  }

  @Test
  void shouldListInstancesByStatusNewestOrOldestFirst() {
    ferry("workflows", "trigger", "three-steps", "--id", "order-a");
    awaitStatus("three-steps", "order-a", InstanceStatus.Status.COMPLETE);
    ferry("workflows", "trigger", "three-steps", "--id", "order-b");
    awaitStatus("three-steps", "order-b", InstanceStatus.Status.COMPLETE);

    Run newest = ferry("workflows", "instances", "list", "three-steps", "--status", "complete");
    Run oldest =
        ferry("workflows", "instances", "list", "three-steps", "--status", "complete", "--reverse");
    Run none = ferry("workflows", "instances", "list", "three-steps", "--status", "paused");

    assertThat(newest.out().indexOf("order-b")).isLessThan(newest.out().indexOf("order-a"));
    assertThat(oldest.out().indexOf("order-a")).isLessThan(oldest.out().indexOf("order-b"));
    assertThat(none.out()).contains("No instances of \"three-steps\" in status paused.");
  }

  @Test
  void shouldPauseResumeRestartFromAStepAndTerminateTheLatestInstance() {
    ferry("workflows", "trigger", "sleepy", "{\"sleepSeconds\": 600}", "--id", "cli-sleepy");
    awaitStatus("sleepy", "cli-sleepy", InstanceStatus.Status.WAITING);

    assertThat(ferry("workflows", "instances", "pause", "sleepy", "latest").exit()).isZero();
    awaitStatus("sleepy", "cli-sleepy", InstanceStatus.Status.PAUSED);
    assertThat(ferry("workflows", "instances", "resume", "sleepy", "cli-sleepy").exit()).isZero();
    awaitStatus("sleepy", "cli-sleepy", InstanceStatus.Status.WAITING);
    Run restart =
        ferry(
            "workflows",
            "instances",
            "restart",
            "sleepy",
            "cli-sleepy",
            "--from-step-name",
            "nap",
            "--from-step-type",
            "sleep");
    assertThat(restart.exit()).as(restart.err()).isZero();
    awaitStatus("sleepy", "cli-sleepy", InstanceStatus.Status.WAITING);
    Run terminate = ferry("workflows", "instances", "terminate", "sleepy", "cli-sleepy");

    assertThat(restart.out()).contains("restarted from step nap");
    assertThat(terminate.out()).contains("terminated");
    awaitStatus("sleepy", "cli-sleepy", InstanceStatus.Status.TERMINATED);
  }

  @Test
  void shouldTerminateWithRollbackAndShowTheRollbacks() {
    ferry("workflows", "trigger", "booking", "{\"seat\": \"3C\"}", "--id", "cli-booking");
    awaitStatus("booking", "cli-booking", InstanceStatus.Status.WAITING);

    Run terminate =
        ferry("workflows", "instances", "terminate", "booking", "cli-booking", "--rollback");
    awaitStatus("booking", "cli-booking", InstanceStatus.Status.TERMINATED);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                ferry("workflows", "instances", "describe", "booking", "cli-booking")
                    .out()
                    .contains("Rollback  charge"));

    assertThat(terminate.out()).contains("terminated, rolling back");
  }

  @Test
  void shouldSendAnEventToAWaitingInstance() {
    ferry("workflows", "trigger", "approval", "{\"request\": \"tea\"}", "--id", "cli-approval");
    awaitStatus("approval", "cli-approval", InstanceStatus.Status.WAITING);

    Run send =
        ferry(
            "workflows",
            "instances",
            "send-event",
            "approval",
            "cli-approval",
            "--type",
            "approval",
            "--payload",
            "{\"approver\": \"ada\", \"approved\": true}");

    assertThat(send.exit()).as(send.err()).isZero();
    awaitStatus("approval", "cli-approval", InstanceStatus.Status.COMPLETE);
  }

  @Test
  void shouldDeleteInstancesAndSayWhichCouldNotBe() throws Exception {
    ferry("workflows", "trigger", "three-steps", "--id", "doomed");
    awaitStatus("three-steps", "doomed", InstanceStatus.Status.COMPLETE);
    Path ids = Files.writeString(data.resolve("ids.json"), "[\"nobody\"]");

    Run delete =
        ferry(
            "workflows",
            "instances",
            "delete",
            "three-steps",
            "doomed",
            "--filename",
            ids.toString());

    assertThat(delete.exit()).isEqualTo(1);
    assertThat(delete.out()).contains("Deleted doomed");
    assertThat(delete.err()).contains("Not deleted nobody").contains("code 10400");
  }

  @Test
  void shouldTerminateAllWaitingInstancesInAJobAndFollowItToTheEnd() throws Exception {
    for (String id : List.of("cli-all-1", "cli-all-2")) {
      ferry("workflows", "trigger", "approval", "{\"request\": \"tea\"}", "--id", id);
      awaitStatus("approval", id, InstanceStatus.Status.WAITING);
    }

    Run terminateAll =
        ferry(
            "workflows", "instances", "terminate-all", "approval", "--status", "waiting", "--wait");
    Run refused =
        ferry("workflows", "instances", "terminate-all", "approval", "--status", "complete");

    assertThat(terminateAll.exit()).as(terminateAll.err()).isZero();
    assertThat(terminateAll.out())
        .contains("Terminating the unfinished instances of \"approval\" in job ")
        .containsPattern("Status: +complete")
        .containsPattern("Progress: +(\\d+) of \\1 \\(\\d+ done, \\d+ skipped, 0 failed\\)");
    awaitStatus("approval", "cli-all-1", InstanceStatus.Status.TERMINATED);
    awaitStatus("approval", "cli-all-2", InstanceStatus.Status.TERMINATED);
    String jobId =
        terminateAll.out().lines().findFirst().orElseThrow().replaceAll(".* in job ", "");
    Run listed = ferry("workflows", "jobs", "list", "--workflow", "approval");
    JsonNode described = ferry("workflows", "jobs", "describe", jobId, "--json").json();
    assertThat(listed.out()).contains(jobId).contains("terminate");
    assertThat(described.path("status").asText()).isEqualTo("complete");
    assertThat(described.path("filter").path("status").asText()).isEqualTo("waiting");
    assertThat(described.path("succeeded").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("must be one of").contains("code 10002");
  }

  @Test
  void shouldDeleteAWorkflowAndFollowTheJobThatRemovesItsInstances() throws Exception {
    ferry("workflows", "trigger", "refusing", "{\"amount\": 5}", "--id", "cli-refused-1");
    ferry("workflows", "trigger", "refusing", "{\"amount\": 0}", "--id", "cli-refused-2");
    awaitStatus("refusing", "cli-refused-1", InstanceStatus.Status.COMPLETE);
    awaitStatus("refusing", "cli-refused-2", InstanceStatus.Status.ERRORED);

    Run delete = ferry("workflows", "delete", "refusing", "--wait");
    Run unknownJob = ferry("workflows", "jobs", "describe", "no-such-job");

    assertThat(delete.exit()).as(delete.err()).isZero();
    assertThat(delete.out())
        .contains("Workflow \"refusing\" has been deleted.")
        .containsPattern("Type: +delete")
        .containsPattern("Status: +complete")
        .containsPattern("Progress: +2 of 2 \\(2 done, 0 skipped, 0 failed\\)");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                ferry("workflows", "instances", "describe", "refusing", "cli-refused-1")
                    .err()
                    .contains("HTTP 404"));
    assertThat(unknownJob.exit()).isEqualTo(1);
    assertThat(unknownJob.err()).contains("code 10500").contains("HTTP 404");
  }

  @Test
  void shouldExplainRefusalsWithTheApiCodeAndBadUsageWithExitCodeTwo() {
    Run unknown = ferry("workflows", "describe", "no-such-workflow");
    Run badJson = ferry("workflows", "trigger", "three-steps", "{not json");
    Run badStatus = ferry("workflows", "instances", "list", "three-steps", "--status", "done");
    Run countWithoutName =
        ferry("workflows", "instances", "restart", "sleepy", "x", "--from-step-count", "2");
    Run unreachable = ferry("workflows", "list", "--url", "http://127.0.0.1:1");

    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).contains("code 10200").contains("HTTP 404");
    assertThat(badJson.exit()).isEqualTo(2);
    assertThat(badJson.err()).contains("<params> is not valid JSON").contains("--help");
    assertThat(badStatus.exit()).isEqualTo(2);
    assertThat(badStatus.err()).contains("waitingForPause").contains("\"done\"");
    assertThat(countWithoutName.err()).contains("need --from-step-name");
    assertThat(unreachable.exit()).isEqualTo(1);
    assertThat(unreachable.err()).contains("no answer from the gateway at http://127.0.0.1:1");
  }

  @Test
  void shouldTailATopicAsJsonDecodedFromAvro() throws Exception {
    ferry("workflows", "trigger", "three-steps", "--id", "tailed");
    awaitStatus("three-steps", "tailed", InstanceStatus.Status.COMPLETE);

    Run tail = ferry("kafka", "tail", "status", "--from-beginning", "--max-records", "3");
    Run unknown = ferry("kafka", "tail", "nope", "--max-records", "1");

    assertThat(tail.exit()).as(tail.err()).isZero();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : tail.out().lines().toList()) {
      lines.add(new ObjectMapper().readTree(line));
    }
    assertThat(lines).hasSize(3);
    assertThat(lines)
        .allSatisfy(
            line -> {
              assertThat(line.path("topic").asText()).isEqualTo("workflows.status");
              assertThat(line.path("value").path("account").asText()).isNotEmpty();
              assertThat(line.path("value").has("status")).isTrue();
            });
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("workflows.history");
  }
}
