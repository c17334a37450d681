package dev.ferry.examples;

import dev.ferry.workflows.Backoff;
import dev.ferry.workflows.StepConfig;
import dev.ferry.workflows.WorkflowEntrypoint;
import dev.ferry.workflows.WorkflowEvent;
import dev.ferry.workflows.WorkflowStep;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Three quotes fetched in parallel ({@code step.runAsync} + {@code step.all}), each checkpointed on
 * its own; the "courier" quote fails once and is retried after 1 s while the others are kept.
 */
public final class FanOutWorkflow extends WorkflowEntrypoint<FanOutWorkflow.Params, Integer> {
  public static final String NAME = "fan-out";

  public record Params(int base) {}

  @Override
  public Integer run(WorkflowEvent<Params> event, WorkflowStep step) {
    int base = event.payload().base();
    CompletableFuture<Integer> post = step.runAsync("post quote", () -> base + 1);
    CompletableFuture<Integer> courier =
        step.runAsync(
            "courier quote",
            StepConfig.retries(2, "1 second", Backoff.CONSTANT),
            ctx -> {
              if (ctx.attempt() == 1) {
                throw new IllegalStateException("courier API timed out");
              }
              return base + 2;
            });
    CompletableFuture<Integer> pickup = step.runAsync("pickup quote", () -> base + 3);
    List<Integer> quotes = step.all(List.of(post, courier, pickup));
    return step.run(
        "cheapest", () -> quotes.stream().mapToInt(Integer::intValue).min().orElseThrow());
  }
}
