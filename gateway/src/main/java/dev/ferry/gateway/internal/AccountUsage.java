package dev.ferry.gateway.internal;

import dev.ferry.schemas.ApiStatus;
import dev.ferry.schemas.avro.InstanceSnapshot;
import dev.ferry.schemas.avro.StepRecord;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What each account's instances cost the gateway: how many are live (not finished) and about how
 * many characters the read model holds for them. Kept up to date as the read model applies records,
 * so a quota check costs nothing, and saved in the instance store with each round.
 */
final class AccountUsage {
  /** An account's figures at one moment. */
  record Usage(long liveInstances, long heldChars) {}

  /** Per instance and per step entry: ids, times, statuses and the objects that hold them. */
  private static final long INSTANCE_OVERHEAD = 1_024;

  private static final long STEP_OVERHEAD = 256;

  private final Map<String, AtomicLong[]> accounts = new ConcurrentHashMap<>();
  private final java.util.Set<String> changed = ConcurrentHashMap.newKeySet();

  Usage of(String account) {
    AtomicLong[] figures = accounts.get(account);
    return figures == null ? new Usage(0, 0) : new Usage(figures[0].get(), figures[1].get());
  }

  /** Adds the difference between what an instance or step held before and holds now. */
  void change(String account, int liveDelta, long charsDelta) {
    if (liveDelta == 0 && charsDelta == 0) {
      return;
    }
    AtomicLong[] figures =
        accounts.computeIfAbsent(
            account, a -> new AtomicLong[] {new AtomicLong(), new AtomicLong()});
    figures[0].addAndGet(liveDelta);
    figures[1].addAndGet(charsDelta);
    changed.add(account);
  }

  /** Hands each account changed since the last call to {@code put}, as its store key and value. */
  void saveChanged(java.util.function.BiConsumer<byte[], byte[]> put) {
    for (String account : changed) {
      changed.remove(account);
      AtomicLong[] figures = accounts.get(account);
      put.accept(
          StoreKeys.usage(account),
          java.nio.ByteBuffer.allocate(2 * Long.BYTES)
              .putLong(figures[0].get())
              .putLong(figures[1].get())
              .array());
    }
  }

  /** Takes back what {@link #saveChanged} saved. */
  void load(String account, byte[] value) {
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(value);
    accounts.put(
        account, new AtomicLong[] {new AtomicLong(in.getLong()), new AtomicLong(in.getLong())});
  }

  static boolean isLive(InstanceSnapshot snapshot) {
    return snapshot != null && !ApiStatus.isTerminal(snapshot.getStatus());
  }

  static long chars(InstanceSnapshot snapshot) {
    if (snapshot == null) {
      return 0;
    }
    long chars = INSTANCE_OVERHEAD + snapshot.getParams().length();
    if (snapshot.getOutput() != null) {
      chars += snapshot.getOutput().length();
    }
    if (snapshot.getError() != null) {
      chars += snapshot.getError().getMessage().length() + snapshot.getError().getName().length();
    }
    return chars;
  }

  static long chars(StepRecord step) {
    if (step == null) {
      return 0;
    }
    long chars = STEP_OVERHEAD * (1 + step.getAttempts().size()) + step.getName().length();
    if (step.getOutput() != null) {
      chars += step.getOutput().length();
    }
    return chars;
  }
}
