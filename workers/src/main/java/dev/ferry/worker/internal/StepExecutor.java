package dev.ferry.worker.internal;

import dev.ferry.workflows.WorkflowTimeoutError;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.MDC;

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
    // What the body threw is carried back as it is: an ExecutionException would build its message
    // from the throwable's, and the workflow's own exception's getMessage() may itself throw.
    // The step's own logging carries the instance, step and attempt of the caller's MDC.
    Map<String, String> mdc = MDC.getCopyOfContextMap();
    Future<Outcome<T>> future =
        threads.submit(
            () -> {
              if (mdc != null) {
                MDC.setContextMap(mdc);
              }
              try {
                return new Outcome<>(body.call(), null);
              } catch (Throwable thrown) {
                return new Outcome<>(null, thrown);
              } finally {
                MDC.clear();
              }
            });
    return await(future, timeout, slowAfter, onSlow).value();
  }

  private record Outcome<T>(T result, Throwable thrown) {
    T value() throws Exception {
      if (thrown == null) {
        return result;
      }
      if (thrown instanceof Exception exception) {
        throw exception;
      }
      if (thrown instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("a step body threw a bare Throwable", thrown);
    }
  }

  private static <T> Outcome<T> await(
      Future<Outcome<T>> future, Duration timeout, Duration slowAfter, Runnable onSlow)
      throws Exception {
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
      throw new IllegalStateException("a step's wrapper failed", e.getCause());
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
