package dev.ferry.examples;

import dev.ferry.worker.WorkflowRegistry;

/** Every example workflow, registered under its name; what {@code ferry dev} hosts. */
public final class Examples {
  private Examples() {}

  public static WorkflowRegistry registry() {
    return new WorkflowRegistry()
        .register(ThreeStepWorkflow.NAME, ThreeStepWorkflow.class)
        .register(SleepyWorkflow.NAME, SleepyWorkflow.class)
        .register(FlakyWorkflow.NAME, FlakyWorkflow.class)
        .register(RefusingWorkflow.NAME, RefusingWorkflow.class)
        .register(ApprovalWorkflow.NAME, ApprovalWorkflow.class)
        .register(FanOutWorkflow.NAME, FanOutWorkflow.class)
        .register(BookingWorkflow.NAME, BookingWorkflow.class);
  }
}
