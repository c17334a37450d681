package dev.ferry.workflows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

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

  /**
   * A step with a compensation: if the instance later fails (or is terminated with rollback), the
   * handler runs, after the handlers of later steps. A step that failed gets its handler too, with
   * a null output.
   */
  <T> T run(String name, StepConfig config, StepFunction<T> body, Rollback<T> rollback);

  /**
   * Starts a step that runs alongside the workflow and other such steps; its position in the
   * history is where this call was made, so replays stay deterministic. Collect results with {@link
   * #all} or {@link #await} (not {@code join()}: they also let the workflow wait correctly when a
   * branch must retry later).
   *
   * <pre>{@code
   * var a = step.runAsync("price", () -> prices.get(id));
   * var b = step.runAsync("stock", () -> stock.get(id));
   * List<Integer> both = step.all(List.of(a, b));
   * }</pre>
   */
  <T> CompletableFuture<T> runAsync(String name, StepCallable<T> body);

  <T> CompletableFuture<T> runAsync(String name, StepConfig config, StepFunction<T> body);

  /**
   * Waits for every branch and returns their results in order; if one failed, throws the first
   * failure once all have settled.
   */
  <T> List<T> all(List<? extends CompletableFuture<? extends T>> branches);

  /** Waits for one branch started with {@link #runAsync}. */
  <T> T await(CompletableFuture<T> branch);

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
