package dev.ferry.worker.internal;

import dev.ferry.schemas.RecordSizes;
import dev.ferry.schemas.avro.Activation;
import dev.ferry.schemas.avro.StepRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * The step histories this worker saw and wrote, kept per instance between activations so the next
 * activation needs to carry only what others wrote since (see {@code Activation.baseToken}).
 * Bounded by an estimate of their size; the least recently used are dropped first, and a dropped
 * one only costs the orchestrator sending that history whole once. Thread-safe.
 */
public final class HistoryViews {
  private final long maxChars;
  private final LinkedHashMap<String, Kept> kept = new LinkedHashMap<>(16, 0.75f, true);
  private long chars;

  private record Kept(long token, List<StepRecord> entries, long chars) {}

  /** Keeps histories of up to about {@code maxChars} characters together (0 keeps none). */
  public HistoryViews(long maxChars) {
    this.maxChars = maxChars;
  }

  /**
   * The complete history of {@code activation} (all pages joined), or empty when it builds on a
   * view this worker does not have: the worker then asks for the whole history. The view it builds
   * on is handed over to the run (taken out of the store) so it is never used twice.
   */
  public synchronized Optional<List<StepRecord>> resolve(String key, Activation activation) {
    List<StepRecord> entries;
    if (activation.getBaseToken() == 0) {
      entries = activation.getHistory();
    } else {
      Kept base = take(key);
      if (base == null || base.token() != activation.getBaseToken()) {
        return Optional.empty();
      }
      entries = new ArrayList<>(base.entries().size() + activation.getHistory().size());
      for (StepRecord entry : base.entries()) {
        if (entry.getPosition() < activation.getHistoryFrom()) {
          entries.add(entry);
        }
      }
      entries.addAll(activation.getHistory());
    }
    return complete(entries, activation.getHistorySize()) ? Optional.of(entries) : Optional.empty();
  }

  /**
   * Whether the entries end where the orchestrator's history ends: a view with entries the
   * orchestrator never accepted (a report lost on the way) must not be built on.
   */
  private static boolean complete(List<StepRecord> entries, int size) {
    if (size < 0) {
      return true;
    }
    int last = -1;
    for (StepRecord entry : entries) {
      last = Math.max(last, entry.getPosition());
    }
    return last == size - 1;
  }

  /** Keeps the view the run of activation {@code token} ended with, unless a newer one is kept. */
  public synchronized void keep(String key, long token, Collection<StepRecord> view) {
    Kept existing = kept.get(key);
    if (existing != null && existing.token() > token) {
      return;
    }
    List<StepRecord> entries = new ArrayList<>(view);
    entries.sort(Comparator.comparingInt(StepRecord::getPosition));
    long size = 0;
    for (StepRecord entry : entries) {
      size += RecordSizes.estimate(entry);
    }
    take(key);
    if (size > maxChars) {
      return;
    }
    kept.put(key, new Kept(token, entries, size));
    chars += size;
    var oldest = kept.entrySet().iterator();
    while (chars > maxChars && oldest.hasNext()) {
      chars -= oldest.next().getValue().chars();
      oldest.remove();
    }
  }

  /** Forgets the instance's view (a report of it was lost, so the orchestrator's differs). */
  public synchronized void forget(String key) {
    take(key);
  }

  /** Views kept now (for tests and logs). */
  public synchronized int size() {
    return kept.size();
  }

  private Kept take(String key) {
    Kept removed = kept.remove(key);
    if (removed != null) {
      chars -= removed.chars();
    }
    return removed;
  }
}
