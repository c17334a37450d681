package dev.ferry.orchestrator.internal;

import dev.ferry.schemas.avro.StepRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** Deletes over a key prefix, collected first: a store must not change under its own iterator. */
final class StoreScans {
  private StoreScans() {}

  /** Deletes the instance's step entries from position {@code from} on. */
  static void deleteSteps(KeyValueStore<String, StepRecord> steps, String instanceKey, int from) {
    List<String> erased = new ArrayList<>();
    try (KeyValueIterator<String, StepRecord> it =
        steps.prefixScan(StepKeys.prefix(instanceKey), new StringSerializer())) {
      it.forEachRemaining(
          entry -> {
            if (entry.value.getPosition() >= from) {
              erased.add(entry.key);
            }
          });
    }
    erased.forEach(steps::delete);
  }

  static <V> void deleteWithPrefix(KeyValueStore<String, V> store, String prefix) {
    List<String> found = new ArrayList<>();
    try (KeyValueIterator<String, V> it = store.prefixScan(prefix, new StringSerializer())) {
      it.forEachRemaining(entry -> found.add(entry.key));
    }
    found.forEach(store::delete);
  }
}
