package dev.ferry.worker.internal;

import dev.ferry.workflows.WorkflowTimeoutError;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs step bodies on their own threads so that a per-attempt timeout can be enforced: on expiry
 * the body is interrupted and the attempt fails with {@link WorkflowTimeoutError}.
 */
public final class StepExecutor implements AutoCloseable {
  private final ExecutorService threads;

  public StepExecutor() {
    AtomicInteger n = new AtomicInteger();
    this.threads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "ferry-step-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  public <T> T call(Callable<T> body, Duration timeout) throws Exception {
    return call(body, timeout, Duration.ZERO, () -> {});
  }

  /**
   * Runs the body with a timeout; if it is still running after {@code slowAfter}, calls {@code
   * onSlow} once (on this thread) and keeps waiting. Callers use it to send what they have batched
   * instead of holding it back behind a long step.
   */
  public <T> T call(Callable<T> body, Duration timeout, Duration slowAfter, Runnable onSlow)
      throws Exception {
    Future<T> future = threads.submit(body);
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      if (!slowAfter.isZero() && !slowAfter.isNegative() && slowAfter.compareTo(timeout) < 0) {
        try {
          return future.get(slowAfter.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException slow) {
          onSlow.run();
        }
      }
      return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new WorkflowTimeoutError("Execution timed out after " + timeout.toMillis() + "ms");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception exception) {
        throw exception;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw e;
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw e;
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
