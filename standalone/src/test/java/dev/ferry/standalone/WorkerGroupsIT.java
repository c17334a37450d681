package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.examples.Examples;
import dev.ferry.examples.ThreeStepWorkflow;
import dev.ferry.worker.WorkerRuntime;
import dev.ferry.worker.WorkflowRegistry;
import dev.ferry.workflows.WorkflowEntrypoint;
import dev.ferry.workflows.WorkflowEvent;
import dev.ferry.workflows.WorkflowStep;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Independently deployed worker groups on one stack: each instance runs only where its workflow is
 * hosted, exactly once; a group that is away leaves its instances waiting, never failed.
 */
class WorkerGroupsIT {

  /** Counts how often each instance's step body ran, and on which group's worker. */
  public static final class Invoice extends WorkflowEntrypoint<Map<String, Object>, String> {
    static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();

    @Override
    public String run(WorkflowEvent<Map<String, Object>> event, WorkflowStep step) {
      return step.run(
          "bill",
          () -> {
            RUNS.computeIfAbsent(event.instanceId(), id -> new AtomicInteger()).incrementAndGet();
            return "billed " + event.instanceId();
          });
    }
  }

  /** A one-step workflow that two groups host. */
  public static final class Shared extends WorkflowEntrypoint<Map<String, Object>, String> {
    @Override
    public String run(WorkflowEvent<Map<String, Object>> event, WorkflowStep step) {
      return step.run("work", () -> "ok");
    }
  }

  @Test
  void shouldRunEachInstanceOnlyOnTheGroupHostingItsWorkflowExactlyOnce(@TempDir Path dir) {
    try (DevStack stack = TestStacks.start(dir, Examples.registry())) {
      WorkerRuntime billing =
          stack.addWorker("billing", new WorkflowRegistry().register("invoice", Invoice.class));
      Api api = Api.of(stack, "acct");

      List<String> ids = IntStream.range(0, 20).mapToObj(i -> "inv-" + i).toList();
      for (String id : ids) {
        assertThat(api.create("invoice", "{\"instance_id\":\"" + id + "\"}").status())
            .isEqualTo(201);
        api.create(
            ThreeStepWorkflow.NAME, "{\"instance_id\":\"" + id + "\",\"params\":{\"value\":2}}");
      }

      for (String id : ids) {
        assertThat(api.awaitStatus("invoice", id, "complete").path("output").asText())
            .isEqualTo("billed " + id);
        api.awaitStatus(ThreeStepWorkflow.NAME, id, "complete");
        assertThat(Invoice.RUNS.get(id)).hasValue(1);
      }
      assertThat(billing.completedActivations()).isEqualTo(20);
      assertThat(stack.workers()).allSatisfy(w -> assertThat(w.foreignTasks()).isZero());
    }
  }

  @Test
  void shouldShareAWorkflowHostedByTwoGroups(@TempDir Path dir) {
    WorkflowRegistry shared = new WorkflowRegistry().register("shared", Shared.class);
    try (DevStack stack = TestStacks.start(dir, shared)) {
      WorkerRuntime other = stack.addWorker("other-team", shared);
      WorkerRuntime own = stack.workers().get(0);
      Api api = Api.of(stack, "acct");

      for (int i = 0; i < 20; i++) {
        api.create("shared", "{\"instance_id\":\"s-" + i + "\"}");
      }
      for (int i = 0; i < 20; i++) {
        api.awaitStatus("shared", "s-" + i, "complete");
      }
      assertThat(own.completedActivations()).isPositive();
      assertThat(other.completedActivations()).isPositive();
      assertThat(own.completedActivations() + other.completedActivations()).isEqualTo(20);
    }
  }

  @Test
  void shouldKeepInstancesWaitingWhileTheirGroupIsAwayAndRunThemWhenItReturns(@TempDir Path dir) {
    WorkflowRegistry invoices = new WorkflowRegistry().register("invoice", Invoice.class);
    try (DevStack stack = TestStacks.start(dir, Examples.registry())) {
      Api api = Api.of(stack, "acct");
      stack.addWorker("billing", invoices).close();

      for (int i = 0; i < 5; i++) {
        assertThat(api.create("invoice", "{\"instance_id\":\"away-" + i + "\"}").status())
            .isEqualTo(201);
      }
      for (int i = 0; i < 5; i++) {
        JsonNode waiting = api.awaitStatus("invoice", "away-" + i, "queued");
        assertThat(waiting.path("waiting_for_worker").path("workflow").asText())
            .isEqualTo("invoice");
        assertThat(waiting.path("waiting_for_worker").path("version_id").asText())
            .isEqualTo(waiting.path("versionId").asText());
        assertThat(waiting.path("start").isNull()).isTrue();
      }

      stack.addWorker("billing", invoices);

      for (int i = 0; i < 5; i++) {
        JsonNode done = api.awaitStatus("invoice", "away-" + i, "complete");
        assertThat(done.has("waiting_for_worker")).isFalse();
        assertThat(done.path("versions_run").get(0).asText())
            .isEqualTo(done.path("versionId").asText());
        assertThat(Invoice.RUNS.get("away-" + i)).hasValue(1);
      }
    }
  }

  @Test
  void shouldHandAForeignTaskBackInsteadOfFailingTheInstance(@TempDir Path dir) {
    // A rolling deploy in one group: the old member hosts only "invoice", the new one also
    // "shared". Tasks of "shared" on the old member's partition are handed back, never failed.
    try (DevStack stack =
        TestStacks.start(dir, new WorkflowRegistry().register("invoice", Invoice.class))) {
      WorkerRuntime old = stack.workers().get(0);
      WorkerRuntime updated =
          stack.addWorker(
              old.group(),
              new WorkflowRegistry()
                  .register("invoice", Invoice.class)
                  .register("shared", Shared.class));
      Api api = Api.of(stack, "acct");
      for (int i = 0; i < 10; i++) {
        api.create("shared", "{\"instance_id\":\"roll-" + i + "\"}");
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> old.foreignTasks() > 0);
      for (int i = 0; i < 10; i++) {
        assertThat(api.status("shared", "roll-" + i)).isNotEqualTo("errored");
      }

      old.close(); // the deploy finishes: its partitions move to the updated member

      for (int i = 0; i < 10; i++) {
        api.awaitStatus("shared", "roll-" + i, "complete");
      }
      assertThat(updated.foreignTasks()).isZero();
    }
  }
}
