package dev.ferry.examples;

import dev.ferry.workflows.Backoff;
import dev.ferry.workflows.StepConfig;
import dev.ferry.workflows.WorkflowEntrypoint;
import dev.ferry.workflows.WorkflowEvent;
import dev.ferry.workflows.WorkflowStep;

/**
 * A step that fails on its first two attempts and succeeds on the third. The instance details show
 * three attempts, and the waits between them follow exponential backoff (1 s, then 2 s).
 */
public final class FlakyWorkflow extends WorkflowEntrypoint<FlakyWorkflow.Params, String> {
  public static final String NAME = "flaky";

  public record Params(String target) {}

  @Override
  public String run(WorkflowEvent<Params> event, WorkflowStep step) {
    return step.run(
        "call flaky service",
        StepConfig.retries(3, "1 second", Backoff.EXPONENTIAL).timeout("30 seconds"),
        ctx -> {
          if (ctx.attempt() < 3) {
            throw new IllegalStateException("service unavailable (attempt " + ctx.attempt() + ")");
          }
          return "reached "
              + (event.payload().target() == null ? "service" : event.payload().target())
              + " on attempt "
              + ctx.attempt();
        });
  }
}
