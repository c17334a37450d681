package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.examples.Examples;
import dev.ferry.workflows.StepConfig;
import dev.ferry.workflows.WorkflowEntrypoint;
import dev.ferry.workflows.WorkflowEvent;
import dev.ferry.workflows.WorkflowStep;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pause, resume, terminate and restart end to end, including commands that race a running step. */
class ControlIT {
  private static DevStack stack;
  private static Api api;

  /** Gates that a test opens to let the first step of an instance finish. */
  static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();

  static final Map<String, CountDownLatch> ENTERED = new ConcurrentHashMap<>();

  /** Its first step blocks until the test opens the instance's gate; then one more step. */
  public static final class GatedWorkflow extends WorkflowEntrypoint<Object, String> {
    @Override
    public String run(WorkflowEvent<Object> event, WorkflowStep step) {
      String id = event.instanceId();
      String first =
          step.run(
              "gated",
              StepConfig.retries(0).timeout("1 minute"),
              () -> {
                ENTERED.computeIfAbsent(id, k -> new CountDownLatch(1)).countDown();
                GATES.computeIfAbsent(id, k -> new CountDownLatch(1)).await(60, TimeUnit.SECONDS);
                return "gate passed";
              });
      return step.run("after", () -> first + ", then after");
    }
  }

  @BeforeAll
  static void start() throws Exception {
    stack =
        TestStacks.start(
            Files.createTempDirectory("ferry-control-it"),
            Examples.registry().register("gated", GatedWorkflow.class));
    api = Api.of(stack, "acct");
  }

  @AfterAll
  static void stop() {
    GATES.values().forEach(CountDownLatch::countDown);
    stack.close();
  }

  @Test
  void shouldPauseAfterTheStepInFlightFinishesAndRunNoFurtherStepUntilResumed() throws Exception {
    api.create("gated", "{\"instance_id\":\"pause-1\"}");
    awaitEntered("pause-1");
    int applied = controlsApplied();

    Api.Response pause = api.changeStatus("gated", "pause-1", "{\"status\":\"pause\"}");

    assertThat(pause.status()).isEqualTo(200);
    assertThat(pause.result().path("status").asText()).isEqualTo("waitingForPause");
    assertThat(pause.result().path("timestamp").asText()).isNotEmpty();
    // The pause reaches the worker through its task partition; only then does it hold the run.
    await().atMost(Duration.ofSeconds(30)).until(() -> controlsApplied() > applied);
    GATES.computeIfAbsent("pause-1", k -> new CountDownLatch(1)).countDown();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> api.status("gated", "pause-1").equals("paused"));
    JsonNode paused = api.get("gated", "pause-1").result();
    assertThat(paused.path("steps")).hasSize(1); // "gated" finished, "after" never started
    assertThat(paused.path("steps").path(0).path("success").asBoolean()).isTrue();

    api.changeStatus("gated", "pause-1", "{\"status\":\"resume\"}");

    JsonNode done = api.awaitStatus("gated", "pause-1", "complete");
    assertThat(done.path("output").asText()).isEqualTo("gate passed, then after");
  }

  @Test
  void shouldKeepRemainingSleepAcrossPauseAndResume() {
    api.create("sleepy", "{\"instance_id\":\"pause-2\",\"params\":{\"sleepSeconds\":3}}");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> api.status("sleepy", "pause-2").equals("waiting"));

    assertThat(
            api.changeStatus("sleepy", "pause-2", "{\"status\":\"pause\"}")
                .result()
                .path("status")
                .asText())
        .isEqualTo("paused");
    // Paused longer than the whole sleep: the timer must not wake it.
    await()
        .during(Duration.ofSeconds(4))
        .atMost(Duration.ofSeconds(6))
        .until(() -> api.status("sleepy", "pause-2").equals("paused"));
    api.changeStatus("sleepy", "pause-2", "{\"status\":\"resume\"}");

    JsonNode done = api.awaitStatus("sleepy", "pause-2", "complete");
    JsonNode nap = done.path("steps").path(1);
    Duration slept =
        Duration.between(
            Instant.parse(nap.path("start").asText()), Instant.parse(nap.path("end").asText()));
    assertThat(slept).isGreaterThanOrEqualTo(Duration.ofSeconds(7)); // 3 s of sleep + 4 s paused
  }

  @Test
  void shouldDiscardInFlightResultAfterTerminate() throws Exception {
    api.create("gated", "{\"instance_id\":\"term-1\"}");
    awaitEntered("term-1");

    Api.Response terminate = api.changeStatus("gated", "term-1", "{\"status\":\"terminate\"}");
    assertThat(terminate.result().path("status").asText()).isEqualTo("terminated");
    GATES.computeIfAbsent("term-1", k -> new CountDownLatch(1)).countDown();

    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                api.get("gated", "term-1").result().path("steps").size() <= 1
                    && api.status("gated", "term-1").equals("terminated"));
    JsonNode result = api.get("gated", "term-1").result();
    assertThat(result.path("steps").findValues("success")).noneMatch(JsonNode::asBoolean);
    assertThat(result.path("output").isNull()).isTrue();
  }

  @Test
  void shouldRefuseToTerminateACompletedInstance() {
    api.create("three-steps", "{\"instance_id\":\"term-2\",\"params\":{\"value\":1}}");
    api.awaitStatus("three-steps", "term-2", "complete");

    Api.Response terminate =
        api.changeStatus("three-steps", "term-2", "{\"status\":\"terminate\"}");

    assertThat(terminate.status()).isEqualTo(409);
    assertThat(terminate.firstError()).contains("complete");
  }

  @Test
  void shouldRestartFinishedInstanceFromScratchWithSameParams() {
    api.create("three-steps", "{\"instance_id\":\"again-1\",\"params\":{\"value\":4}}");
    JsonNode first = api.awaitStatus("three-steps", "again-1", "complete");

    Api.Response restart = api.changeStatus("three-steps", "again-1", "{\"status\":\"restart\"}");

    assertThat(restart.status()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              JsonNode now = api.get("three-steps", "again-1").result();
              return now.path("status").asText().equals("complete")
                  && !now.path("start").asText().equals(first.path("start").asText());
            });
    JsonNode second = api.get("three-steps", "again-1").result();
    assertThat(second.path("params").path("value").asInt()).isEqualTo(4);
    assertThat(second.path("steps")).hasSize(3);
    assertThat(second.path("output").path("value").asInt()).isEqualTo(9);
  }

  @Test
  void shouldRestartFromAStepKeepingTheStepsBeforeIt() {
    api.create("sleepy", "{\"instance_id\":\"from-1\",\"params\":{\"sleepSeconds\":1}}");
    JsonNode first = api.awaitStatus("sleepy", "from-1", "complete");

    Api.Response restart =
        api.changeStatus(
            "sleepy", "from-1", "{\"status\":\"restart\",\"from\":{\"name\":\"wake up\"}}");
    Api.Response missing =
        api.changeStatus(
            "sleepy",
            "from-1",
            "{\"status\":\"restart\",\"from\":{\"name\":\"nope\",\"type\":\"do\"}}");

    assertThat(restart.status()).isEqualTo(200);
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.firstError()).contains("not found in execution history");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              JsonNode now = api.get("sleepy", "from-1").result();
              return now.path("status").asText().equals("complete")
                  && !now.path("start").asText().equals(first.path("start").asText());
            });
    JsonNode second = api.get("sleepy", "from-1").result();
    assertThat(second.path("steps")).hasSize(3);
    // "greet" and "nap" were kept as recorded; "wake up" ran again
    assertThat(second.path("steps").path(0).path("start"))
        .isEqualTo(first.path("steps").path(0).path("start"));
    assertThat(second.path("steps").path(1).path("end"))
        .isEqualTo(first.path("steps").path(1).path("end"));
    assertThat(second.path("steps").path(2).path("start"))
        .isNotEqualTo(first.path("steps").path(2).path("start"));
  }

  @Test
  void shouldRunRollbackHandlersNewestFirstWhenTheInstanceFails() {
    api.create("booking", "{\"instance_id\":\"saga-1\",\"params\":{\"shipTimeoutSeconds\":1}}");

    JsonNode result = api.awaitStatus("booking", "saga-1", "errored");

    assertThat(result.path("error").path("name").asText()).isEqualTo("ShippingTimeout");
    assertThat(result.path("rollback").path("outcome").asText()).isEqualTo("complete");
    List<String> undone = new java.util.ArrayList<>();
    result
        .path("steps")
        .forEach(
            s -> {
              if (s.path("type").asText().equals("rollback")) {
                undone.add(s.path("name").asText());
                assertThat(s.path("success").asBoolean()).isTrue();
              }
            });
    assertThat(undone).containsExactly("charge", "reserve");
  }

  @Test
  void shouldRollBackThenTerminateWhenTerminatedWithRollback() {
    api.create("booking", "{\"instance_id\":\"saga-2\"}");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> api.status("booking", "saga-2").equals("waiting"));

    Api.Response terminate =
        api.changeStatus("booking", "saga-2", "{\"status\":\"terminate\",\"rollback\":true}");

    assertThat(terminate.result().path("status").asText()).isEqualTo("rollingBack");
    JsonNode result = api.awaitStatus("booking", "saga-2", "terminated");
    assertThat(result.path("rollback").path("outcome").asText()).isEqualTo("complete");
    assertThat(result.path("steps").findValuesAsText("type")).contains("rollback");
  }

  @Test
  void shouldRejectUnknownStatusAndMisplacedFieldsNamingThem() {
    Api.Response unknown = api.changeStatus("three-steps", "x", "{\"status\":\"explode\"}");
    Api.Response rollback =
        api.changeStatus("three-steps", "x", "{\"status\":\"pause\",\"rollback\":true}");
    Api.Response missing = api.changeStatus("three-steps", "nobody", "{\"status\":\"pause\"}");

    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.firstError()).contains("pause, resume, terminate, restart");
    assertThat(rollback.firstError()).contains("rollback");
    assertThat(missing.status()).isEqualTo(404);
  }

  @Test
  void shouldForgetInstanceAfterItsRetentionButKeepItsIdReserved() {
    api.create(
        "three-steps",
        "{\"instance_id\":\"short-lived\",\"params\":{\"value\":1},"
            + "\"instance_retention\":{\"success_retention\":\"1 second\"}}");
    api.awaitStatus("three-steps", "short-lived", "complete");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> api.get("three-steps", "short-lived").status() == 404);

    Api.Response again = api.create("three-steps", "{\"instance_id\":\"short-lived\"}");
    assertThat(again.status()).isEqualTo(409);
  }

  @Test
  void shouldDeleteInstancesInBatchAndReportUnknownIdsPerId() {
    api.create("sleepy", "{\"instance_id\":\"del-1\",\"params\":{\"sleepSeconds\":600}}");
    api.create("sleepy", "{\"instance_id\":\"del-2\",\"params\":{\"sleepSeconds\":600}}");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> api.status("sleepy", "del-2").equals("waiting"));

    Api.Response deleted =
        api.deleteBatch("sleepy", "{\"instances\":[\"del-1\",\"del-2\",\"ghost\",\"del-1\"]}");

    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.result().path("deleted").findValuesAsText("id"))
        .containsExactly("del-1", "del-2");
    JsonNode error = deleted.result().path("errors").path(0);
    assertThat(error.path("id").asText()).isEqualTo("ghost");
    assertThat(error.path("code").asInt()).isEqualTo(10400);
    await().atMost(Duration.ofSeconds(10)).until(() -> api.get("sleepy", "del-1").status() == 404);
    assertThat(api.create("sleepy", "{\"instance_id\":\"del-1\"}").status()).isEqualTo(409);
  }

  @Test
  void shouldTerminateEveryUnfinishedInstanceOfAWorkflowInTheBackground() {
    for (String id : new String[] {"all-1", "all-2"}) {
      api.create("approval", "{\"instance_id\":\"" + id + "\",\"params\":{\"request\":\"r\"}}");
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                api.status("approval", "all-1").equals("waiting")
                    && api.status("approval", "all-2").equals("waiting"));

    Api.Response job = api.terminateAll("approval", "?status=waiting");
    Api.Response bad = api.terminateAll("approval", "?status=complete");

    assertThat(job.result().path("status").asText()).isIn("ok", "already_running");
    assertThat(bad.status()).isEqualTo(400);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                api.status("approval", "all-1").equals("terminated")
                    && api.status("approval", "all-2").equals("terminated"));
  }

  private static int controlsApplied() {
    return stack.workers().stream().mapToInt(w -> w.controlsApplied()).sum();
  }

  private static void awaitEntered(String id) throws InterruptedException {
    assertThat(ENTERED.computeIfAbsent(id, k -> new CountDownLatch(1)).await(30, TimeUnit.SECONDS))
        .isTrue();
  }
}
