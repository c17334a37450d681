package dev.ferry.gateway.internal;

import dev.ferry.schemas.WorkflowKey;
import dev.ferry.schemas.avro.InstanceSnapshot;
import dev.ferry.schemas.avro.InstanceStatusCode;
import dev.ferry.schemas.avro.StepRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What the read model answers from its {@link InstanceStore}: one instance with its steps, and
 * pages, counts and ids of a workflow's instances, walked from the indexes on disk so that the cost
 * grows with the page asked for, not with the instances retained.
 */
public final class InstanceQueries {
  private final InstanceStore store;
  private final WorkflowActivity activity;

  /** Where a listing continues: just after this (creation time, id). */
  public record Position(long queuedAt, String id) {}

  /**
   * Which of a workflow's instances a listing wants: of one status or all, created within [from,
   * to] (either may be null), oldest or newest first, after a position (or from the start).
   */
  public record Query(
      Optional<InstanceStatusCode> status, Long from, Long to, boolean ascending, Position after) {
    public static Query all() {
      return new Query(Optional.empty(), null, null, true, null);
    }
  }

  InstanceQueries(InstanceStore store, WorkflowActivity activity) {
    this.store = store;
    this.activity = activity;
  }

  Optional<InstanceView> get(String key) {
    InstanceStore.Read read = store.read(key);
    InstanceSnapshot snapshot = read.instance().snapshot();
    if (snapshot == null) {
      return Optional.empty();
    }
    List<StepRecord> steps = new ArrayList<>(read.steps().size());
    for (byte[] value : read.steps()) {
      steps.add(StoredInstance.decodeStep(value));
    }
    return Optional.of(
        new InstanceView(
            snapshot, steps, read.instance().applied() >= snapshot.getHistoryEvents()));
  }

  /** A page of a workflow's instances, and whether more match after it. */
  public record Slice(List<InstanceSnapshot> items, boolean more) {}

  /**
   * Up to {@code limit} instances matching {@code query}, after skipping {@code skip} of them, in
   * the query's order. Walks an index on disk: the cost grows with skip + limit, not with the
   * instances retained.
   */
  public Slice page(String account, String workflow, Query query, long skip, int limit) {
    String workflowKey = WorkflowKey.of(account, workflow).toString();
    List<byte[]> keys = new ArrayList<>();
    long[] skipped = {0};
    scan(
        workflowKey,
        query,
        (prefix, key, value) -> {
          if (skipped[0] < skip) {
            skipped[0]++;
            return true;
          }
          keys.add(
              StoreKeys.instance(
                  WorkflowKey.of(account, workflow)
                      .child(StoreKeys.instanceIdOf(key, prefix.length))));
          return keys.size() <= limit;
        });
    boolean more = keys.size() > limit;
    List<InstanceSnapshot> items = new ArrayList<>();
    for (byte[] value : store.getAll(more ? keys.subList(0, limit) : keys)) {
      if (value != null) {
        InstanceSnapshot snapshot = StoredInstance.decode(value).snapshot();
        if (snapshot != null) {
          items.add(snapshot);
        }
      }
    }
    return new Slice(items, more);
  }

  /**
   * How many instances match {@code query} (its position aside): from the counts kept when no
   * creation dates are asked for, else by walking the index over that range.
   */
  public long count(String account, String workflow, Query query) {
    if (query.from() == null && query.to() == null) {
      WorkflowActivity.Activity now = activity.of(account, workflow);
      return query.status().map(s -> (long) now.counts().getOrDefault(s, 0)).orElseGet(now::total);
    }
    long[] count = {0};
    scan(
        WorkflowKey.of(account, workflow).toString(),
        new Query(query.status(), query.from(), query.to(), true, null),
        (prefix, key, value) -> {
          count[0]++;
          return true;
        });
    return count[0];
  }

  /** The ids of a workflow's instances whose status {@code wanted} accepts, oldest first. */
  public List<String> instanceIds(
      String account, String workflow, Predicate<InstanceStatusCode> wanted) {
    InstanceStatusCode[] statuses = InstanceStatusCode.values();
    List<String> ids = new ArrayList<>();
    scan(
        WorkflowKey.of(account, workflow).toString(),
        Query.all(),
        (prefix, key, value) -> {
          if (wanted.test(statuses[value[0]])) {
            ids.add(StoreKeys.instanceIdOf(key, prefix.length));
          }
          return true;
        });
    return ids;
  }

  /** Told each index entry a scan passes, with the index's prefix; false stops the scan. */
  private interface IndexVisitor {
    boolean visit(byte[] prefix, byte[] key, byte[] value);
  }

  /** Walks the index that answers {@code query}, within its dates and after its position. */
  private void scan(String workflowKey, Query query, IndexVisitor visitor) {
    byte[] prefix =
        query
            .status()
            .map(s -> StoreKeys.byStatus(workflowKey, s))
            .orElseGet(() -> StoreKeys.byCreation(workflowKey));
    byte[] lower = query.from() == null ? prefix : StoreKeys.from(prefix, query.from());
    byte[] upper =
        query.to() == null ? StoreKeys.after(prefix) : StoreKeys.through(prefix, query.to());
    Position after = query.after();
    if (after != null) {
      byte[] at = StoreKeys.position(prefix, after.queuedAt(), after.id());
      if (query.ascending()) {
        lower = max(lower, StoreKeys.justAfter(at));
      } else {
        upper = Arrays.compareUnsigned(at, upper) < 0 ? at : upper;
      }
    }
    store.scan(lower, upper, query.ascending(), (key, value) -> visitor.visit(prefix, key, value));
  }

  private static byte[] max(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b) >= 0 ? a : b;
  }
}
