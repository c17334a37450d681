package dev.ferry.examples;

import dev.ferry.workflows.NonRetryableError;
import dev.ferry.workflows.WorkflowEntrypoint;
import dev.ferry.workflows.WorkflowEvent;
import dev.ferry.workflows.WorkflowStep;

/**
 * Validates an order and refuses it with a {@link NonRetryableError}: the step is not retried and
 * the instance ends {@code errored} with that error's name and message.
 */
public final class RefusingWorkflow extends WorkflowEntrypoint<RefusingWorkflow.Params, String> {
  public static final String NAME = "refusing";

  public record Params(int amount) {}

  @Override
  public String run(WorkflowEvent<Params> event, WorkflowStep step) {
    int amount = step.run("load amount", () -> event.payload().amount());
    step.run(
        "validate",
        () -> {
          if (amount <= 0) {
            throw new NonRetryableError("amount must be positive, got " + amount, "InvalidOrder");
          }
          return amount;
        });
    return "accepted " + amount;
  }
}
