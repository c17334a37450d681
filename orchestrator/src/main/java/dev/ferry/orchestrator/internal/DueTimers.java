package dev.ferry.orchestrator.internal;

import dev.ferry.schemas.avro.Timer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** The durable timers of one task, in due order ({@link TimerKeys}). */
final class DueTimers {
  private final KeyValueStore<Bytes, Timer> store;

  /**
   * No timer is due before this time, so scans start here instead of at zero: fired timers leave
   * tombstones at the front of the store that a scan from zero would walk on every tick. It is
   * lowered whenever an earlier timer is scheduled, and starts at zero after a restart.
   */
  private long scanFrom;

  /**
   * No timer is due before this time either, so a tick before it reads nothing from the store: the
   * due time of the earliest timer the last scan left, lowered as timers are scheduled (a timer
   * deleted since only makes the next scan find nothing). Zero after a restart.
   */
  private long nextDue;

  DueTimers(KeyValueStore<Bytes, Timer> store) {
    this.store = store;
  }

  void schedule(Timer timer) {
    store.put(TimerKeys.key(timer), timer);
    scanFrom = Math.min(scanFrom, timer.getDueAt());
    nextDue = Math.min(nextDue, timer.getDueAt());
  }

  /**
   * Takes out the timers due by {@code now}, at most {@code budget}, those due first first. Cheap
   * when none is due, so the tick can be short.
   */
  List<Timer> takeDue(long now, int budget) {
    if (now < nextDue) {
      return List.of();
    }
    List<KeyValue<Bytes, Timer>> due = new ArrayList<>();
    try (KeyValueIterator<Bytes, Timer> it =
        store.range(TimerKeys.at(scanFrom), TimerKeys.dueBy(now))) {
      while (it.hasNext() && due.size() < budget) {
        due.add(it.next());
      }
    }
    // Everything due by now is in `due` unless the budget ran out.
    scanFrom = due.size() < budget ? now + 1 : due.get(due.size() - 1).value.getDueAt();
    nextDue = due.size() < budget ? firstDueAfter(now) : scanFrom;
    List<Timer> taken = new ArrayList<>(due.size());
    for (KeyValue<Bytes, Timer> entry : due) {
      store.delete(entry.key);
      taken.add(entry.value);
    }
    return taken;
  }

  /** The due time of the first timer after {@code now}, or the end of time when there is none. */
  private long firstDueAfter(long now) {
    try (KeyValueIterator<Bytes, Timer> it = store.range(TimerKeys.dueBy(now), null)) {
      return it.hasNext() ? it.next().value.getDueAt() : Long.MAX_VALUE;
    }
  }
}
