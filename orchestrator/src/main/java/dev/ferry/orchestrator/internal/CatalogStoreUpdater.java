package dev.ferry.orchestrator.internal;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps a global store equal to its compacted source topic (versions or definitions). Values stay
 * raw bytes: a global store is restored by copying the topic byte for byte, so decoding happens at
 * lookup, where a bad record can be skipped instead of stopping the global thread.
 */
public final class CatalogStoreUpdater implements Processor<String, byte[], Void, Void> {
  private final String storeName;
  private KeyValueStore<String, byte[]> store;

  public CatalogStoreUpdater(String storeName) {
    this.storeName = storeName;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.store = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    if (record.key() == null) {
      return;
    }
    if (record.value() == null) {
      store.delete(record.key());
    } else {
      store.put(record.key(), record.value());
    }
  }
}
