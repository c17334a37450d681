package dev.ferry.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.schemas.registry.SchemaRegistryClient;
import dev.ferry.schemas.registry.SchemaRegistryException;
import dev.ferry.schemas.serde.BoundedDecoder;
import dev.ferry.schemas.serde.WireFormat;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * One Kafka record as one line of JSON: where it sits, its key, headers and value. A value in the
 * Confluent wire format is decoded with the writer's schema from the registry (unions unwrapped, as
 * Avro's JSON form of a record); anything else is shown as text, or base64 when it is not UTF-8,
 * with the reason it was not decoded.
 */
final class RecordJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SchemaRegistryClient registry;
  private final Map<Integer, GenericDatumReader<Object>> readers = new HashMap<>();

  RecordJson(SchemaRegistryClient registry) {
    this.registry = registry;
  }

  String line(ConsumerRecord<byte[], byte[]> record) {
    ObjectNode out = JSON.createObjectNode();
    out.put("topic", record.topic());
    out.put("partition", record.partition());
    out.put("offset", record.offset());
    out.put("timestamp", java.time.Instant.ofEpochMilli(record.timestamp()).toString());
    out.put("key", record.key() == null ? null : text(record.key()));
    if (record.headers().toArray().length > 0) {
      ObjectNode headers = out.putObject("headers");
      for (Header header : record.headers()) {
        headers.put(header.key(), header.value() == null ? null : text(header.value()));
      }
    }
    decode(record.value(), out);
    return out.toString();
  }

  private void decode(byte[] value, ObjectNode out) {
    if (value == null) {
      out.putNull("value"); // a tombstone
      return;
    }
    try {
      int id = WireFormat.schemaId(value);
      GenericDatumReader<Object> reader = readers.computeIfAbsent(id, this::readerFor);
      Object decoded =
          reader.read(
              null,
              BoundedDecoder.over(
                  value, WireFormat.HEADER_SIZE, value.length - WireFormat.HEADER_SIZE));
      out.put("schema_id", id);
      out.set("value", JSON.readTree(GenericData.get().toString(decoded)));
    } catch (IOException | RuntimeException e) {
      out.put("value_text", text(value));
      out.put("not_decoded", String.valueOf(e.getMessage()));
    }
  }

  private GenericDatumReader<Object> readerFor(int id) {
    try {
      return new GenericDatumReader<>(registry.getById(id));
    } catch (SchemaRegistryException e) {
      throw new IllegalStateException("schema id " + id + " is unknown to the registry", e);
    }
  }

  /** UTF-8 text, or "base64:" and the bytes when they are not UTF-8. */
  private static String text(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return "base64:" + Base64.getEncoder().encodeToString(bytes);
    }
  }
}
