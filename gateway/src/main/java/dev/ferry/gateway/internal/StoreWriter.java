package dev.ferry.gateway.internal;

import dev.ferry.schemas.InstanceKey;
import dev.ferry.schemas.avro.HistoryEvent;
import dev.ferry.schemas.avro.InstanceSnapshot;
import dev.ferry.schemas.avro.StepRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Applies status and history records to the {@link InstanceStore}: the instances a poll round
 * touched are changed in memory, then written in one atomic batch with the positions the round
 * reached, so the store never holds a record's effect without its position or the other way round.
 * Step entries come from history events, each carrying the step as it now is; a newer generation
 * (restart) replaces the older steps. Runs on the follower's thread only.
 */
final class StoreWriter {
  /** Even when nothing changes, note at least this often that the store still follows. */
  private static final long NOTE_FOLLOWING_MS = 60_000;

  private final InstanceStore store;
  private final WorkflowActivity activity;
  private final AccountUsage usage;
  private final LongSupplier clock;
  private final java.util.function.BooleanSupplier caughtUp;
  private final Map<String, Pending> round = new HashMap<>();
  private final Map<TopicPartition, Long> saved = new HashMap<>();
  private long notedAt;

  /** One instance as this round leaves it, next to what the store held before the round. */
  private static final class Pending {
    final InstanceSnapshot stored;

    /** Whether the store may hold steps of it: only an instance it holds has any. */
    final boolean mayHaveSteps;

    int generation;
    long applied;
    long stepChars;
    InstanceSnapshot snapshot;
    boolean deleted;
    boolean stepsCleared;
    final Map<Integer, byte[]> steps = new HashMap<>();

    Pending(StoredInstance was) {
      this.stored = was.snapshot();
      this.mayHaveSteps = was != StoredInstance.NONE;
      this.generation = was.generation();
      this.applied = was.applied();
      this.stepChars = was.stepChars();
      this.snapshot = was.snapshot();
    }
  }

  StoreWriter(
      InstanceStore store,
      WorkflowActivity activity,
      AccountUsage usage,
      LongSupplier clock,
      java.util.function.BooleanSupplier caughtUp) {
    this.store = store;
    this.activity = activity;
    this.usage = usage;
    this.clock = clock;
    this.caughtUp = caughtUp;
    this.saved.putAll(store.offsets());
  }

  void apply(String key, InstanceSnapshot snapshot) {
    String account = accountOf(key);
    Pending entry = pending(key);
    if (snapshot == null) {
      if (entry.deleted) {
        return;
      }
      clearSteps(account, entry);
      replaceSnapshot(account, entry, null);
      entry.generation = 0;
      entry.applied = 0;
      entry.deleted = true;
      return;
    }
    entry.deleted = false;
    if (snapshot.getGeneration() > entry.generation) {
      clearSteps(account, entry);
      entry.generation = snapshot.getGeneration();
    }
    replaceSnapshot(account, entry, snapshot);
  }

  void apply(String key, HistoryEvent event) {
    if (event == null) {
      return;
    }
    Pending entry = pending(key);
    entry.deleted = false;
    entry.applied++;
    StepRecord step = event.getStep();
    if (step == null || event.getGeneration() < entry.generation) {
      return;
    }
    String account = accountOf(key);
    if (event.getGeneration() > entry.generation) {
      clearSteps(account, entry);
      entry.generation = event.getGeneration();
    }
    long was = stepChars(key, entry, step.getPosition());
    entry.steps.put(step.getPosition(), StoredInstance.encodeStep(step));
    long delta = AccountUsage.chars(step) - was;
    entry.stepChars += delta;
    usage.change(account, 0, delta);
  }

  /** Writes what the round changed, and the positions it reached, as one batch. */
  void roundDone(Map<TopicPartition, Long> positions) {
    long now = clock.getAsLong();
    boolean moved = !positions.equals(saved);
    // When the store last held everything up to the topics' ends: a store resumed after a long
    // stop is caught up before it claims to be current.
    boolean current = caughtUp.getAsBoolean();
    boolean noteCurrent = current && (notedAt == 0 || now - notedAt >= NOTE_FOLLOWING_MS);
    if (round.isEmpty() && !moved && !noteCurrent) {
      return;
    }
    try (WriteBatch batch = new WriteBatch()) {
      for (Map.Entry<String, Pending> entry : round.entrySet()) {
        write(batch, entry.getKey(), entry.getValue());
      }
      activity.saveChanged((key, value) -> put(batch, key, value));
      usage.saveChanged((key, value) -> put(batch, key, value));
      positions.forEach(
          (partition, offset) -> {
            if (!offset.equals(saved.get(partition))) {
              put(
                  batch,
                  StoreKeys.offset(partition),
                  ByteBuffer.allocate(Long.BYTES).putLong(offset).array());
            }
          });
      if (current) {
        put(
            batch,
            StoreKeys.meta(StoreValidity.WRITTEN_AT),
            Long.toString(now).getBytes(StandardCharsets.UTF_8));
      }
      store.write(batch);
    }
    round.clear();
    saved.putAll(positions);
    if (current) {
      notedAt = now;
    }
  }

  private Pending pending(String key) {
    Pending entry = round.get(key);
    if (entry == null) {
      byte[] value = store.get(StoreKeys.instance(key));
      entry = new Pending(value == null ? StoredInstance.NONE : StoredInstance.decode(value));
      round.put(key, entry);
    }
    return entry;
  }

  /** What the step at {@code position} holds now, as far as this round and the store know. */
  private long stepChars(String key, Pending entry, int position) {
    byte[] pending = entry.steps.get(position);
    if (pending != null || entry.stepsCleared || !entry.mayHaveSteps) {
      return StoredInstance.stepCharsOf(pending);
    }
    return StoredInstance.stepCharsOf(store.get(StoreKeys.step(key, position)));
  }

  private void replaceSnapshot(String account, Pending entry, InstanceSnapshot snapshot) {
    usage.change(
        account,
        (AccountUsage.isLive(snapshot) ? 1 : 0) - (AccountUsage.isLive(entry.snapshot) ? 1 : 0),
        AccountUsage.chars(snapshot) - AccountUsage.chars(entry.snapshot));
    activity.change(entry.snapshot, snapshot);
    entry.snapshot = snapshot;
  }

  private void clearSteps(String account, Pending entry) {
    usage.change(account, 0, -entry.stepChars);
    entry.stepChars = 0;
    entry.stepsCleared = true;
    entry.steps.clear();
  }

  private static void write(WriteBatch batch, String key, Pending entry) {
    try {
      if (entry.stepsCleared) {
        batch.deleteRange(StoreKeys.steps(key), StoreKeys.afterSteps(key));
      }
      for (Map.Entry<Integer, byte[]> step : entry.steps.entrySet()) {
        batch.put(StoreKeys.step(key, step.getKey()), step.getValue());
      }
      if (entry.deleted) {
        batch.delete(StoreKeys.instance(key));
      } else {
        batch.put(
            StoreKeys.instance(key),
            new StoredInstance(entry.generation, entry.applied, entry.stepChars, entry.snapshot)
                .encode());
      }
      InstanceSnapshot now = entry.deleted ? null : entry.snapshot;
      if (!sameIndexPlace(entry.stored, now)) {
        if (entry.stored != null) {
          for (byte[] indexKey : indexKeys(entry.stored)) {
            batch.delete(indexKey);
          }
        }
        if (now != null) {
          byte[][] keys = indexKeys(now);
          batch.put(keys[0], new byte[] {(byte) now.getStatus().ordinal()});
          batch.put(keys[1], new byte[0]);
        }
      }
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot batch the gateway's state: " + e.getMessage(), e);
    }
  }

  /** Whether both snapshots (either may be null) sit at the same places of the indexes. */
  private static boolean sameIndexPlace(InstanceSnapshot a, InstanceSnapshot b) {
    if (a == null || b == null) {
      return a == b;
    }
    return a.getQueuedAt() == b.getQueuedAt()
        && a.getStatus() == b.getStatus()
        && Objects.equals(a.getInstanceId(), b.getInstanceId());
  }

  /** The snapshot's keys in the by-creation and the by-status index. */
  static byte[][] indexKeys(InstanceSnapshot s) {
    String workflow = dev.ferry.schemas.WorkflowKey.of(s.getAccount(), s.getWorkflow()).toString();
    return new byte[][] {
      StoreKeys.position(StoreKeys.byCreation(workflow), s.getQueuedAt(), s.getInstanceId()),
      StoreKeys.position(
          StoreKeys.byStatus(workflow, s.getStatus()), s.getQueuedAt(), s.getInstanceId())
    };
  }

  private static void put(WriteBatch batch, byte[] key, byte[] value) {
    try {
      batch.put(key, value);
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot batch the gateway's state: " + e.getMessage(), e);
    }
  }

  private static String accountOf(String key) {
    try {
      return InstanceKey.parse(key).account();
    } catch (IllegalArgumentException notAnInstanceKey) {
      return key; // counted apart from every account; the orchestrator writes only valid keys
    }
  }
}
