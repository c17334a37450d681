package dev.ferry.workflows;

import java.time.Duration;
import java.time.Instant;

/**
 * The durable operations of a workflow. A step is identified by its kind, name and occurrence
 * count; once recorded, a replay returns the recorded result (or throws the recorded error) without
 * running it again. Code between steps runs again on every replay, so it must be deterministic.
 *
 * <pre>{@code
 * Order order = step.run("load order", () -> orders.load(id));
 * step.sleep("cool-off", "5 minutes");
 * var ok = step.waitForEvent("approval", WaitOptions.type("approved").timeout("1 hour"), Approval.class);
 * Receipt r = step.run("charge", StepConfig.retries(3), ctx -> payments.charge(order, ctx.attempt()));
 * }</pre>
 */
public interface WorkflowStep {

  <T> T run(String name, StepCallable<T> body);

  <T> T run(String name, StepFunction<T> body);

  <T> T run(String name, StepConfig config, StepCallable<T> body);

  <T> T run(String name, StepConfig config, StepFunction<T> body);

  /** Sleeps for a duration string such as {@code "5 minutes"} (see {@link Durations}). */
  void sleep(String name, String duration);

  void sleep(String name, Duration duration);

  /** Sleeps for a number of milliseconds. */
  void sleep(String name, long millis);

  void sleepUntil(String name, Instant until);

  /**
   * Waits until an event of the options' type is sent to this instance, and returns it. An event
   * sent before the wait is kept and delivered when the wait is reached (oldest first per type;
   * each wait takes one). When the timeout passes first, throws {@link WorkflowTimeoutError}, which
   * the workflow may catch.
   */
  <T> WorkflowStepEvent<T> waitForEvent(String name, WaitOptions options, Class<T> payloadType);
}
