package dev.ferry.standalone;

import dev.ferry.workflows.WorkflowEntrypoint;
import dev.ferry.workflows.WorkflowEvent;
import dev.ferry.workflows.WorkflowStep;

/**
 * The steps benchmark's workload: {@code steps} tiny steps in a row, each returning when its body
 * ran ({@link System#nanoTime}, comparable with the benchmark's clock: the whole stack is in one
 * JVM), so the benchmark reads the time per step at any point of the run from the recorded outputs.
 * With sleeps, each one ends the activation and the next replays every step before it.
 */
public final class BenchStepsWorkflow
    extends WorkflowEntrypoint<BenchStepsWorkflow.Params, Integer> {
  public static final String NAME = "bench-steps";

  /** {@code sleepEvery} > 0: a 1 ms durable sleep after every that many steps. */
  public record Params(int steps, int sleepEvery) {}

  @Override
  public Integer run(WorkflowEvent<Params> event, WorkflowStep step) {
    int sleepEvery = event.payload().sleepEvery();
    for (int i = 1; i <= event.payload().steps(); i++) {
      step.run("step " + i, System::nanoTime);
      if (sleepEvery > 0 && i % sleepEvery == 0 && i < event.payload().steps()) {
        step.sleep("pause " + i / sleepEvery, 1);
      }
    }
    return event.payload().steps();
  }
}
