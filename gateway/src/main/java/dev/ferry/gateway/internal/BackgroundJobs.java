package dev.ferry.gateway.internal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** At most one job per name at a time (e.g. one bulk terminate per workflow). */
final class BackgroundJobs {
  private final Set<String> running = ConcurrentHashMap.newKeySet();

  /**
   * Starts the job unless one with this name still runs; the job returns the futures it waits for.
   * Returns false when one was already running.
   */
  boolean start(String name, Supplier<List<? extends CompletableFuture<?>>> job) {
    if (!running.add(name)) {
      return false;
    }
    CompletableFuture.supplyAsync(job)
        .thenCompose(all -> CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)))
        .whenComplete((done, error) -> running.remove(name));
    return true;
  }
}
