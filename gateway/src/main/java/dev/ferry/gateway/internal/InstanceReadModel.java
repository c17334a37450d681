package dev.ferry.gateway.internal;

import dev.ferry.schemas.InstanceKey;
import dev.ferry.schemas.TopicFollower;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.WorkflowKey;
import dev.ferry.schemas.avro.HistoryEvent;
import dev.ferry.schemas.avro.InstanceSnapshot;
import dev.ferry.schemas.avro.InstanceStatusCode;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.config.KafkaSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's view of instances, built by reading the status and history topics from the start
 * (committed records only). Step entries come from history events, each carrying the step as it now
 * is; a newer generation (restart) replaces the older steps.
 */
public final class InstanceReadModel implements AutoCloseable {
  private final Map<String, Entry> instances = new ConcurrentHashMap<>();
  private final AccountUsage usage = new AccountUsage();
  private final TopicFollower follower;
  private final StatusGauges gauges;

  private static final class Entry {
    InstanceSnapshot snapshot;
    int generation;

    /** History events read for this instance, of every generation. */
    long applied;

    final TreeMap<Integer, StepRecord> steps = new TreeMap<>();
  }

  /** Follows the status and history topics; the counts per status go to {@code registry}. */
  public InstanceReadModel(KafkaSettings kafka, Topics topics, MeterRegistry registry) {
    this.gauges = new StatusGauges(registry);
    this.follower =
        TopicFollower.follow(kafka, "ferry-gateway-read-model", topics)
            .on(Topics.STATUS, this::apply)
            .on(Topics.HISTORY, this::apply)
            .start();
  }

  public Optional<InstanceView> get(String key) {
    Entry entry = instances.get(key);
    if (entry == null) {
      return Optional.empty();
    }
    synchronized (entry) {
      if (entry.snapshot == null) {
        return Optional.empty();
      }
      return Optional.of(
          new InstanceView(
              entry.snapshot,
              List.copyOf(entry.steps.values()),
              entry.applied >= entry.snapshot.getHistoryEvents()));
    }
  }

  /** Snapshots of every known instance of one workflow. */
  public List<InstanceSnapshot> list(String account, String workflow) {
    String prefix = WorkflowKey.of(account, workflow).childPrefix();
    List<InstanceSnapshot> found = new ArrayList<>();
    instances.forEach(
        (key, entry) -> {
          if (key.startsWith(prefix)) {
            synchronized (entry) {
              if (entry.snapshot != null) {
                found.add(entry.snapshot);
              }
            }
          }
        });
    return found;
  }

  /** How a workflow's instances stand: a count per status and when the newest was created. */
  public record Activity(Map<InstanceStatusCode, Integer> counts, Long lastCreatedAt) {
    static final Activity NONE = new Activity(Map.of(), null);
  }

  /**
   * The activity of every workflow of an account that has instances. It walks all instances, which
   * is fine for the in-memory model's scale (see docs/design.md).
   */
  public Map<String, Activity> activity(String account) {
    String prefix = account + "/";
    Map<String, Map<InstanceStatusCode, Integer>> counts = new HashMap<>();
    Map<String, Long> newest = new HashMap<>();
    instances.forEach(
        (key, entry) -> {
          if (!key.startsWith(prefix)) {
            return;
          }
          synchronized (entry) {
            InstanceSnapshot snapshot = entry.snapshot;
            if (snapshot == null) {
              return;
            }
            counts
                .computeIfAbsent(
                    snapshot.getWorkflow(), w -> new EnumMap<>(InstanceStatusCode.class))
                .merge(snapshot.getStatus(), 1, Integer::sum);
            newest.merge(snapshot.getWorkflow(), snapshot.getQueuedAt(), Math::max);
          }
        });
    Map<String, Activity> result = new HashMap<>();
    counts.forEach(
        (workflow, byStatus) -> result.put(workflow, new Activity(byStatus, newest.get(workflow))));
    return result;
  }

  /**
   * The instance once every history event its snapshot counts has been read, or as it is after
   * {@code timeout} (see {@link CompleteViews}).
   */
  public Optional<InstanceView> awaitComplete(String key, Duration timeout) {
    return CompleteViews.await(
        () -> get(key),
        new CompleteViews.Rounds() {
          @Override
          public long finished() {
            return follower.rounds();
          }

          @Override
          public void awaitAfter(long round, Duration wait) {
            follower.awaitRoundAfter(round, wait);
          }
        },
        timeout);
  }

  /**
   * Waits until everything committed to status and history before this call has been read, so a
   * caller can read its own writes. Returns false on timeout.
   */
  public boolean awaitCaughtUp(Duration timeout) {
    return follower.awaitCaughtUp(timeout);
  }

  /** The follower of this view, for {@link Warmup}. */
  TopicFollower follower() {
    return follower;
  }

  /** How many live instances the account has and how much the read model holds for it. */
  public AccountUsage.Usage usage(String account) {
    return usage.of(account);
  }

  private void apply(String key, InstanceSnapshot snapshot) {
    String account = accountOf(key);
    if (snapshot == null) {
      Entry removed = instances.remove(key);
      if (removed != null) {
        synchronized (removed) {
          clearSteps(account, removed);
          replaceSnapshot(account, removed, null);
        }
      }
      return;
    }
    Entry entry = instances.computeIfAbsent(key, k -> new Entry());
    synchronized (entry) {
      if (snapshot.getGeneration() > entry.generation) {
        clearSteps(account, entry);
        entry.generation = snapshot.getGeneration();
      }
      replaceSnapshot(account, entry, snapshot);
    }
  }

  private void replaceSnapshot(String account, Entry entry, InstanceSnapshot snapshot) {
    usage.change(
        account,
        (AccountUsage.isLive(snapshot) ? 1 : 0) - (AccountUsage.isLive(entry.snapshot) ? 1 : 0),
        AccountUsage.chars(snapshot) - AccountUsage.chars(entry.snapshot));
    gauges.change(entry.snapshot, snapshot);
    entry.snapshot = snapshot;
  }

  private void clearSteps(String account, Entry entry) {
    long held = 0;
    for (StepRecord step : entry.steps.values()) {
      held += AccountUsage.chars(step);
    }
    usage.change(account, 0, -held);
    entry.steps.clear();
  }

  private static String accountOf(String key) {
    try {
      return InstanceKey.parse(key).account();
    } catch (IllegalArgumentException notAnInstanceKey) {
      return key; // counted apart from every account; the orchestrator writes only valid keys
    }
  }

  private void apply(String key, HistoryEvent event) {
    if (event == null) {
      return;
    }
    Entry entry = instances.computeIfAbsent(key, k -> new Entry());
    synchronized (entry) {
      entry.applied++;
      if (event.getStep() == null) {
        return;
      }
      if (event.getGeneration() < entry.generation) {
        return;
      }
      String account = accountOf(key);
      if (event.getGeneration() > entry.generation) {
        clearSteps(account, entry);
        entry.generation = event.getGeneration();
      }
      StepRecord was = entry.steps.put(event.getStep().getPosition(), event.getStep());
      usage.change(account, 0, AccountUsage.chars(event.getStep()) - AccountUsage.chars(was));
    }
  }

  @Override
  public void close() {
    follower.close();
  }
}
