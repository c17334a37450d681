package dev.ferry.examples;

import dev.ferry.workflows.WorkflowEntrypoint;
import dev.ferry.workflows.WorkflowEvent;
import dev.ferry.workflows.WorkflowStep;
import java.time.Duration;

/**
 * A step, a durable sleep, another step. While it sleeps the instance is {@code waiting} and no
 * thread is held; the sleep survives restarts of every process.
 */
public final class SleepyWorkflow extends WorkflowEntrypoint<SleepyWorkflow.Params, String> {
  public static final String NAME = "sleepy";

  /** {@code sleepSeconds} defaults to 3. */
  public record Params(String name, Integer sleepSeconds) {}

  @Override
  public String run(WorkflowEvent<Params> event, WorkflowStep step) {
    String who = event.payload().name() == null ? "world" : event.payload().name();
    int seconds = event.payload().sleepSeconds() == null ? 3 : event.payload().sleepSeconds();
    String greeting = step.run("greet", () -> "Hello, " + who);
    step.sleep("nap", Duration.ofSeconds(seconds));
    return step.run("wake up", () -> greeting + "! (slept " + seconds + " s)");
  }
}
