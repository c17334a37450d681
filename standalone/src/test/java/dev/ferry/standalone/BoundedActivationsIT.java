package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.schemas.Limits;
import dev.ferry.worker.WorkerRuntime;
import dev.ferry.worker.WorkflowRegistry;
import dev.ferry.workflows.WorkflowEntrypoint;
import dev.ferry.workflows.WorkflowEvent;
import dev.ferry.workflows.WorkflowStep;
import java.nio.file.Path;
import java.time.Duration;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * No record grows with an instance's history, on the embedded broker: activations carry only what
 * the worker lacks (the whole history in pages when it lacks its view), reports are cut at a page.
 */
class BoundedActivationsIT {
  private static final Logger LOG = LoggerFactory.getLogger(BoundedActivationsIT.class);

  /** 10,000 tiny steps with a short sleep after every hundred: 100 activations. */
  public static final class TenThousandSteps extends WorkflowEntrypoint<Object, Integer> {
    @Override
    public Integer run(WorkflowEvent<Object> event, WorkflowStep step) {
      int sum = 0;
      for (int i = 0; i < 10_000; i++) {
        int n = i;
        sum += step.run("step " + i, () -> n % 7);
        if (i % 100 == 99) {
          step.sleep("breather " + i, 1);
        }
      }
      return sum;
    }
  }

  /** Forty steps whose results are just under 1 MiB, sleeping after every ten. */
  public static final class LargeResults extends WorkflowEntrypoint<Object, Integer> {
    static final CountDownLatch NAPPING = new CountDownLatch(1);

    @Override
    public Integer run(WorkflowEvent<Object> event, WorkflowStep step) {
      int total = 0;
      for (int i = 0; i < 40; i++) {
        total += step.run("big " + i, () -> "y".repeat(Limits.MAX_PAYLOAD_BYTES - 100)).length();
        if (i == 19) {
          NAPPING.countDown();
          // Long enough for the test to replace the worker even on a loaded machine: woken
          // earlier, the old worker (still in the group while it closes) would take it.
          step.sleep("long nap", Duration.ofSeconds(12));
        } else if (i % 10 == 9) {
          step.sleep("nap " + i, 1);
        }
      }
      return total;
    }
  }

  @Test
  void shouldCompleteTenThousandStepsWithEveryTaskRecordSmall(@TempDir Path dir) {
    WorkflowRegistry workflows = new WorkflowRegistry().register("ten-k", TenThousandSteps.class);
    try (DevStack stack = TestStacks.start(dir, workflows)) {
      Api api = Api.of(stack, "acct");
      api.create("ten-k", "{\"instance_id\":\"long-1\"}");

      await()
          .atMost(Duration.ofMinutes(3))
          .until(() -> api.status("ten-k", "long-1").equals("complete"));

      int expected = 0;
      for (int i = 0; i < 10_000; i++) {
        expected += i % 7;
      }
      assertThat(api.get("ten-k", "long-1").result().path("output").asInt()).isEqualTo(expected);
      IntSummaryStatistics tasks = sizes(stack, "workflows.tasks." + group(stack));
      IntSummaryStatistics reports = sizes(stack, "workflows.results");
      LOG.info("10,000 steps: tasks {}, reports {}", tasks, reports);
      // Before, the last activations carried the whole history: 878 KB, 43.8 MB in all.
      assertThat(tasks.getCount()).isGreaterThanOrEqualTo(100);
      assertThat(tasks.getMax()).isLessThan(16 * 1024);
      assertThat(tasks.getSum()).isLessThan(2L * 1024 * 1024);
      assertThat(stack.workers().get(0).historyFetches()).isZero();
    }
  }

  @Test
  void shouldNeverWriteARecordLargerThanOneStepForManyNearlyOneMiBResultsAcrossAWorkerRestart(
      @TempDir Path dir) throws InterruptedException {
    WorkflowRegistry workflows = new WorkflowRegistry().register("large", LargeResults.class);
    try (DevStack stack = TestStacks.start(dir, workflows)) {
      Api api = Api.of(stack, "acct");
      api.create("large", "{\"instance_id\":\"big-1\"}");
      LargeResults.NAPPING.await();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> api.status("large", "big-1").equals("waiting"));

      // The worker that kept the history goes; the next one has to ask for all of it.
      stack.workers().get(0).close();
      WorkerRuntime fresh = stack.addWorker();

      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> api.status("large", "big-1").equals("complete"));
      assertThat(api.get("large", "big-1").result().path("output").asInt())
          .isEqualTo(40 * (Limits.MAX_PAYLOAD_BYTES - 100));
      assertThat(fresh.historyFetches()).isGreaterThanOrEqualTo(1);
      // 40 MiB of results went through; no record carries more than about one of them.
      int limit = Limits.MAX_PAYLOAD_BYTES + 64 * 1024;
      IntSummaryStatistics tasks = sizes(stack, "workflows.tasks." + group(stack));
      IntSummaryStatistics reports = sizes(stack, "workflows.results");
      LOG.info(
          "40 large steps: tasks {}, reports {}, whole-history fetches {} then {}",
          tasks,
          reports,
          stack.workers().get(0).historyFetches(),
          fresh.historyFetches());
      assertThat(tasks.getSum()).isGreaterThan(20L * Limits.MAX_PAYLOAD_BYTES); // the full fetch
      assertThat(tasks.getMax()).isLessThan(limit);
      assertThat(reports.getSum()).isGreaterThan(40L * (Limits.MAX_PAYLOAD_BYTES - 100));
      assertThat(reports.getMax()).isLessThan(limit);
    }
  }

  private static String group(DevStack stack) {
    return stack.workers().get(0).group();
  }

  private static IntSummaryStatistics sizes(DevStack stack, String topic) {
    List<ConsumerRecord<String, byte[]>> records =
        CommittedRecords.read(stack.bootstrapServers(), topic);
    return records.stream()
        .mapToInt(r -> r.value() == null ? 0 : r.value().length)
        .summaryStatistics();
  }
}
