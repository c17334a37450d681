package dev.ferry.standalone;

import dev.ferry.workflows.WaitOptions;
import dev.ferry.workflows.WorkflowEntrypoint;
import dev.ferry.workflows.WorkflowEvent;
import dev.ferry.workflows.WorkflowStep;

/**
 * The events benchmark's workload: waits for one {@value #EVENT_TYPE} event (the default timeout of
 * a wait, so each waiting instance also holds a durable timer) and ends with its payload.
 */
public final class BenchEventWorkflow extends WorkflowEntrypoint<Object, String> {
  public static final String NAME = "bench-event";

  public static final String EVENT_TYPE = "go";

  @Override
  public String run(WorkflowEvent<Object> event, WorkflowStep step) {
    return step.waitForEvent("the go", WaitOptions.type(EVENT_TYPE), String.class).payload();
  }
}
