package com.example.greetings;

import dev.ferry.workflows.Backoff;
import dev.ferry.workflows.StepConfig;
import dev.ferry.workflows.WorkflowEntrypoint;
import dev.ferry.workflows.WorkflowEvent;
import dev.ferry.workflows.WorkflowStep;

/** A workflow of your own: look a name up, wait a moment, greet. */
public final class Greet extends WorkflowEntrypoint<Greet.Params, String> {
  public record Params(String name) {}

  @Override
  public String run(WorkflowEvent<Params> event, WorkflowStep step) {
    String name =
        step.run(
            "look up name",
            StepConfig.retries(3, "1 second", Backoff.EXPONENTIAL),
            () -> event.payload() == null || event.payload().name() == null
                ? "stranger"
                : event.payload().name());
    step.sleep("think", "1 second");
    return step.run("greet", () -> "Hello, " + name + ", from your own worker!");
  }
}
