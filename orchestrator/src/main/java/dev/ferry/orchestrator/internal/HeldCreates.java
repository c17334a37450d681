package dev.ferry.orchestrator.internal;

import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.avro.HeldCreate;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The creates held because their workflow was not in the catalogue yet (see {@code
 * Effect.HoldCreate}). Keys start with the time the hold ends, as 16 hex digits, so a scan from the
 * start visits the holds in the order they end; then the instance key and the request id, so two
 * holds never share a key.
 */
final class HeldCreates {
  private final KeyValueStore<String, HeldCreate> store;

  /**
   * False once a look found nothing held, until the next hold: an idle orchestrator then opens no
   * store iterator per check. True after a restart, when the store may hold creates from before.
   */
  private boolean mayHoldAny = true;

  HeldCreates(KeyValueStore<String, HeldCreate> store) {
    this.store = store;
  }

  static String key(long until, Command command, String instanceKey) {
    return String.format("%016x", Math.max(0, until))
        + '\u0000'
        + instanceKey
        + '\u0000'
        + command.getRequestId();
  }

  /** Holds the create of {@code record}, which came from {@code source}, until {@code until}. */
  void hold(
      String instanceKey,
      Command command,
      Record<String, Inbound> record,
      Optional<RecordMetadata> source,
      long until) {
    store.put(
        key(until, command, instanceKey),
        HeldCreate.newBuilder()
            .setCommand(command)
            .setRecord(ByteBuffer.wrap(record.value().raw()))
            .setRecordTimestamp(record.timestamp())
            .setSourceTopic(source.map(RecordMetadata::topic).orElse(""))
            .setSourcePartition(source.map(RecordMetadata::partition).orElse(-1))
            .setSourceOffset(source.map(RecordMetadata::offset).orElse(-1L))
            .setUntil(until)
            .build());
    mayHoldAny = true;
  }

  /** The record a released create is decided as: as it arrived, with its source in headers. */
  static Record<String, Inbound> record(String instanceKey, HeldCreate held) {
    byte[] raw = new byte[held.getRecord().remaining()];
    held.getRecord().duplicate().get(raw);
    return new Record<>(
        instanceKey,
        new Inbound.CommandIn(held.getCommand(), raw),
        held.getRecordTimestamp(),
        DeadLetterRecords.source(
            held.getSourceTopic(), held.getSourcePartition(), held.getSourceOffset()));
  }

  /**
   * Takes out the holds that ended by {@code now} and those whose workflow {@code known} says has
   * appeared, looking at {@code budget} holds at most, those that end first first. A hold not taken
   * in one look is taken at the latest when it ends.
   */
  List<HeldCreate> release(long now, Predicate<Command> known, int budget) {
    if (!mayHoldAny) {
      return List.of();
    }
    List<KeyValue<String, HeldCreate>> taken = new ArrayList<>();
    int looked = 0;
    try (KeyValueIterator<String, HeldCreate> it = store.all()) {
      while (it.hasNext() && looked < budget) {
        KeyValue<String, HeldCreate> entry = it.next();
        looked++;
        if (entry.value.getUntil() <= now || known.test(entry.value.getCommand())) {
          taken.add(entry);
        }
      }
    }
    if (looked == 0) {
      mayHoldAny = false;
    }
    List<HeldCreate> released = new ArrayList<>(taken.size());
    for (KeyValue<String, HeldCreate> entry : taken) {
      store.delete(entry.key);
      released.add(entry.value);
    }
    return released;
  }
}
