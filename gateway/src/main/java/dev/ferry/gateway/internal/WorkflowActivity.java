package dev.ferry.gateway.internal;

import dev.ferry.schemas.WorkflowKey;
import dev.ferry.schemas.avro.InstanceSnapshot;
import dev.ferry.schemas.avro.InstanceStatusCode;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BiConsumer;

/**
 * How each workflow's instances stand: a count per status and the newest creation seen, kept as
 * snapshots change so that neither a workflow listing nor a metrics scrape walks the instances.
 * Saved in the instance store with each round, so a restarted gateway has them at once.
 */
final class WorkflowActivity {
  private static final InstanceStatusCode[] STATUSES = InstanceStatusCode.values();

  /** How a workflow's instances stand: a count per status and when the newest was created. */
  record Activity(Map<InstanceStatusCode, Integer> counts, Long lastCreatedAt) {
    static final Activity NONE = new Activity(Map.of(), null);

    long total() {
      return counts.values().stream().mapToLong(Integer::longValue).sum();
    }
  }

  private static final class Counts {
    final String account;
    final String workflow;
    final AtomicLongArray byStatus = new AtomicLongArray(STATUSES.length);
    final AtomicLong newest = new AtomicLong(Long.MIN_VALUE);

    Counts(String account, String workflow) {
      this.account = account;
      this.workflow = workflow;
    }
  }

  private final Map<String, Counts> workflows = new ConcurrentHashMap<>();
  private final Set<String> changed = ConcurrentHashMap.newKeySet();
  private final StatusGauges gauges;

  WorkflowActivity(StatusGauges gauges) {
    this.gauges = gauges;
  }

  /** One snapshot replaced another (either may be null: created, deleted). */
  void change(InstanceSnapshot before, InstanceSnapshot after) {
    if (before != null) {
      add(before, before.getStatus(), -1);
    }
    if (after != null) {
      add(after, after.getStatus(), 1);
      counts(after.getAccount(), after.getWorkflow())
          .newest
          .accumulateAndGet(after.getQueuedAt(), Math::max);
    }
  }

  long count(String account, String workflow, InstanceStatusCode status) {
    Counts counts = workflows.get(WorkflowKey.of(account, workflow).toString());
    return counts == null ? 0 : counts.byStatus.get(status.ordinal());
  }

  /** The activity of one workflow. */
  Activity of(String account, String workflow) {
    Counts counts = workflows.get(WorkflowKey.of(account, workflow).toString());
    return counts == null ? Activity.NONE : activity(counts);
  }

  /** The activity of every workflow of an account that has instances. */
  Map<String, Activity> ofAccount(String account) {
    Map<String, Activity> result = new HashMap<>();
    workflows.forEach(
        (key, counts) -> {
          if (counts.account.equals(account)) {
            Activity activity = activity(counts);
            if (activity != Activity.NONE) {
              result.put(counts.workflow, activity);
            }
          }
        });
    return result;
  }

  /** Hands each workflow changed since the last call to {@code put}, as its store key and value. */
  void saveChanged(BiConsumer<byte[], byte[]> put) {
    for (String key : changed) {
      changed.remove(key);
      Counts counts = workflows.get(key);
      ByteBuffer value = ByteBuffer.allocate(Long.BYTES * (1 + STATUSES.length));
      value.putLong(counts.newest.get());
      for (int i = 0; i < STATUSES.length; i++) {
        value.putLong(counts.byStatus.get(i));
      }
      put.accept(StoreKeys.activity(key), value.array());
    }
  }

  /** Takes back what {@link #saveChanged} saved. */
  void load(String workflowKey, byte[] value) {
    WorkflowKey key = WorkflowKey.parse(workflowKey);
    Counts counts = counts(key.account(), key.workflow());
    ByteBuffer in = ByteBuffer.wrap(value);
    counts.newest.set(in.getLong());
    for (int i = 0; i < STATUSES.length; i++) {
      counts.byStatus.set(i, in.getLong());
      if (counts.byStatus.get(i) != 0) {
        gauges.ensure(counts.account, counts.workflow, STATUSES[i], this);
      }
    }
    changed.remove(workflowKey);
  }

  private void add(InstanceSnapshot snapshot, InstanceStatusCode status, int delta) {
    Counts counts = counts(snapshot.getAccount(), snapshot.getWorkflow());
    counts.byStatus.addAndGet(status.ordinal(), delta);
    gauges.ensure(counts.account, counts.workflow, status, this);
  }

  private Counts counts(String account, String workflow) {
    String key = WorkflowKey.of(account, workflow).toString();
    changed.add(key);
    return workflows.computeIfAbsent(key, k -> new Counts(account, workflow));
  }

  private static Activity activity(Counts counts) {
    Map<InstanceStatusCode, Integer> byStatus = new EnumMap<>(InstanceStatusCode.class);
    for (int i = 0; i < STATUSES.length; i++) {
      long n = counts.byStatus.get(i);
      if (n > 0) {
        byStatus.put(STATUSES[i], (int) Math.min(n, Integer.MAX_VALUE));
      }
    }
    if (byStatus.isEmpty()) {
      return Activity.NONE;
    }
    long newest = counts.newest.get();
    return new Activity(byStatus, newest == Long.MIN_VALUE ? null : newest);
  }
}
