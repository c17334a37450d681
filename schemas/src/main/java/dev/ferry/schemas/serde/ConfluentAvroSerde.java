package dev.ferry.schemas.serde;

import dev.ferry.schemas.registry.SchemaRegistryClient;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Serde for a generated Avro class in the Confluent wire format. */
public final class ConfluentAvroSerde<T extends SpecificRecord> extends Serdes.WrapperSerde<T> {

  public ConfluentAvroSerde(SchemaRegistryClient registry, Schema schema) {
    super(
        new ConfluentAvroSerializer<>(registry, schema),
        new ConfluentAvroDeserializer<>(registry, schema));
  }

  public static <T extends SpecificRecord> Serde<T> of(
      SchemaRegistryClient registry, Schema schema) {
    return new ConfluentAvroSerde<>(registry, schema);
  }
}
