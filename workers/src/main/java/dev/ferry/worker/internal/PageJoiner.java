package dev.ferry.worker.internal;

import dev.ferry.schemas.avro.Activation;
import dev.ferry.schemas.avro.StepRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Joins the pages of activations as they arrive from the task topic. The pages of one activation
 * follow each other on the instance's partition (other instances' records may come between), so an
 * activation is complete at its last page. Used by the poll thread only.
 */
public final class PageJoiner {
  private final Map<String, Activation> partial = new HashMap<>();

  /** What a page completed. */
  public sealed interface Outcome {
    /** More pages of this activation are to come. */
    record Incomplete() implements Outcome {}

    /** The activation with the history of all its pages, in order. */
    record Complete(Activation activation) implements Outcome {}

    /**
     * A page whose earlier pages this worker did not see (its partition moved here between them):
     * the orchestrator has to send the activation again.
     */
    record Orphan(Activation page) implements Outcome {}
  }

  public Outcome add(String key, Activation page) {
    Activation started = partial.get(key);
    if (page.getPage() == 0) {
      partial.remove(key); // an unfinished older one is superseded
      if (page.getLastPage()) {
        return new Outcome.Complete(page);
      }
      page.setHistory(new ArrayList<>(page.getHistory())); // the later pages are appended to it
      partial.put(key, page);
      return new Outcome.Incomplete();
    }
    if (started == null
        || started.getToken() != page.getToken()
        || started.getPage() + 1 != page.getPage()) {
      partial.remove(key);
      return new Outcome.Orphan(page);
    }
    List<StepRecord> history = started.getHistory();
    history.addAll(page.getHistory());
    started.setPage(page.getPage());
    if (!page.getLastPage()) {
      return new Outcome.Incomplete();
    }
    partial.remove(key);
    started.setLastPage(true);
    return new Outcome.Complete(started);
  }

  /** Forgets unfinished activations (the worker's partitions were taken away). */
  public void clear() {
    partial.clear();
  }
}
