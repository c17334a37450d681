package dev.ferry.standalone;

import java.util.concurrent.CountDownLatch;

/** Blocks the main thread until Ctrl-C, then closes what was started, newest first. */
public final class Shutdown {
  private Shutdown() {}

  public static void awaitSignal(AutoCloseable... parts) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("\nStopping Ferry...");
                  for (int i = parts.length - 1; i >= 0; i--) {
                    try {
                      parts[i].close();
                    } catch (Exception e) {
                      System.err.println("error while stopping: " + e);
                    }
                  }
                  stopped.countDown();
                },
                "ferry-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
