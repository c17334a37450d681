package dev.ferry.examples;

import dev.ferry.workflows.WorkflowEntrypoint;
import dev.ferry.workflows.WorkflowEvent;
import dev.ferry.workflows.WorkflowStep;

/**
 * Three steps, no waits: the benchmark's workload. One activation runs all three; each step costs
 * one produce, not an orchestrator round trip.
 */
public final class ThreeStepWorkflow
    extends WorkflowEntrypoint<ThreeStepWorkflow.Params, ThreeStepWorkflow.Result> {
  public static final String NAME = "three-steps";

  public record Params(int value) {}

  public record Result(int value, String trail) {}

  @Override
  public Result run(WorkflowEvent<Params> event, WorkflowStep step) {
    int start = event.payload().value();
    int doubled = step.run("double", () -> start * 2);
    int plusOne = step.run("add one", () -> doubled + 1);
    return step.run(
        "describe", () -> new Result(plusOne, start + " -> " + doubled + " -> " + plusOne));
  }
}
