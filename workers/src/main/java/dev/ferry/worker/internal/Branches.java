package dev.ferry.worker.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Threads that run parallel step branches (each attempt's body still runs on a step thread). */
final class Branches {
  private static final AtomicInteger NUMBER = new AtomicInteger();

  static final ExecutorService POOL =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "ferry-branch-" + NUMBER.incrementAndGet());
            t.setDaemon(true);
            return t;
          });

  private Branches() {}
}
