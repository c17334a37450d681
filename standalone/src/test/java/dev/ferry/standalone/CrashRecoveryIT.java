package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.examples.Examples;
import dev.ferry.examples.SleepyWorkflow;
import dev.ferry.worker.WorkerRuntime;
import dev.ferry.worker.WorkflowRegistry;
import dev.ferry.workflows.Backoff;
import dev.ferry.workflows.StepConfig;
import dev.ferry.workflows.WorkflowEntrypoint;
import dev.ferry.workflows.WorkflowEvent;
import dev.ferry.workflows.WorkflowStep;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nothing is lost when a part of the stack dies: orchestrator, a worker, or everything. */
class CrashRecoveryIT {

  /** Its only step blocks forever on the first attempt, so the test can kill the worker in it. */
  public static final class HangsOnceWorkflow extends WorkflowEntrypoint<Object, String> {
    static final CountDownLatch ENTERED = new CountDownLatch(1);
    static final AtomicInteger ATTEMPTS = new AtomicInteger();

    @Override
    public String run(WorkflowEvent<Object> event, WorkflowStep step) {
      return step.run(
          "slow call",
          StepConfig.retries(3, "1 second", Backoff.CONSTANT),
          ctx -> {
            ATTEMPTS.incrementAndGet();
            if (ctx.attempt() == 1) {
              ENTERED.countDown();
              new CountDownLatch(1).await(); // until the worker dies
            }
            return "done on attempt " + ctx.attempt();
          });
    }
  }

  @Test
  void shouldCompleteSleepingInstanceAfterOrchestratorRestartsOnSameStateDir(@TempDir Path dir) {
    try (DevStack stack = TestStacks.start(dir, Examples.registry())) {
      Api api = Api.of(stack, "acct");
      api.create(
          SleepyWorkflow.NAME, "{\"instance_id\":\"nap-1\",\"params\":{\"sleepSeconds\":3}}");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> api.status("sleepy", "nap-1").equals("waiting"));

      stack.stopOrchestrator();
      stack.startOrchestrator();

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> api.status("sleepy", "nap-1").equals("complete"));
      JsonNode result = api.get("sleepy", "nap-1").result();
      assertThat(result.path("output").asText()).isEqualTo("Hello, world! (slept 3 s)");
      assertThat(result.path("steps").path(1).path("finished").asBoolean()).isTrue();
    }
  }

  @Test
  void shouldRetryStepOnAnotherWorkerWhenWorkerDiesMidStep(@TempDir Path dir) {
    WorkflowRegistry workflows =
        new WorkflowRegistry().register("hangs-once", HangsOnceWorkflow.class);
    try (DevStack stack = TestStacks.start(dir, workflows)) {
      Api api = Api.of(stack, "acct");
      api.create("hangs-once", "{\"instance_id\":\"hang-1\"}");
      await().atMost(Duration.ofSeconds(30)).until(() -> HangsOnceWorkflow.ENTERED.getCount() == 0);
      // Wait until the orchestrator knows the attempt is running (a heartbeat named it).
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> api.get("hangs-once", "hang-1").result().path("steps").size() == 1);

      WorkerRuntime first = stack.workers().get(0);
      first.kill();
      WorkerRuntime second = stack.addWorker();

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> api.status("hangs-once", "hang-1").equals("complete"));
      JsonNode step = api.get("hangs-once", "hang-1").result().path("steps").path(0);
      assertThat(step.path("attempts")).hasSize(2);
      assertThat(step.path("attempts").path(0).path("success").asBoolean(true)).isFalse();
      assertThat(step.path("attempts").path(0).path("error").path("message").asText())
          .isEqualTo("Attempt failed due to internal workflows error");
      assertThat(step.path("attempts").path(1).path("success").asBoolean()).isTrue();
      assertThat(step.path("output").asText()).isEqualTo("done on attempt 2");
      assertThat(second.completedActivations()).isGreaterThanOrEqualTo(1);
      assertThat(HangsOnceWorkflow.ATTEMPTS).hasValue(2);
    }
  }

  @Test
  void shouldCompleteUnfinishedInstanceAfterWholeStackRestarts(@TempDir Path dir) {
    try (DevStack stack = TestStacks.start(dir, Examples.registry())) {
      Api api = Api.of(stack, "acct");
      api.create(
          SleepyWorkflow.NAME, "{\"instance_id\":\"nap-2\",\"params\":{\"sleepSeconds\":4}}");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> api.status("sleepy", "nap-2").equals("waiting"));
    }

    try (DevStack restarted = TestStacks.start(dir, Examples.registry())) {
      Api api = Api.of(restarted, "acct");
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> api.status("sleepy", "nap-2").equals("complete"));
      assertThat(api.get("sleepy", "nap-2").result().path("output").asText())
          .isEqualTo("Hello, world! (slept 4 s)");
    }
  }
}
