package dev.ferry.schemas.serde;

import dev.ferry.schemas.registry.SchemaRegistryClient;
import dev.ferry.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the Confluent wire format into a specific record, resolving the writer's schema (looked up
 * by id) against this reader's schema, so producers on an older compatible schema keep working.
 * Every failure is a {@link SerializationException} whose message says what was wrong; Ferry's
 * processors turn it into a dead-letter record.
 */
public final class ConfluentAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
  private final SchemaRegistryClient registry;
  private final Schema readerSchema;
  private final Map<Integer, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();

  public ConfluentAvroDeserializer(SchemaRegistryClient registry, Schema readerSchema) {
    this.registry = registry;
    this.readerSchema = readerSchema;
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    int id = WireFormat.schemaId(data);
    SpecificDatumReader<T> reader = readers.computeIfAbsent(id, this::readerFor);
    BoundedDecoder decoder =
        BoundedDecoder.over(data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE);
    try {
      T value = reader.read(null, decoder);
      if (!decoder.isEnd()) {
        throw new SerializationException(
            "schema id " + id + " does not match the record: bytes left over after decoding");
      }
      return value;
    } catch (SerializationException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // Anything a malformed record makes Avro throw (including its own size limits, which it
      // reports as UnsupportedOperationException) is the record's fault: a decoding error.
      throw new SerializationException(
          "cannot decode "
              + readerSchema.getFullName()
              + " written with schema id "
              + id
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private SpecificDatumReader<T> readerFor(int id) {
    Schema writer;
    try {
      writer = registry.getById(id);
    } catch (SchemaRegistryException e) {
      throw new SerializationException("unknown schema id " + id + ": " + e.getMessage(), e);
    }
    return new SpecificDatumReader<>(writer, readerSchema);
  }
}
