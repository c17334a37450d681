package dev.ferry.orchestrator.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.schemas.Json;
import dev.ferry.schemas.Limits;
import dev.ferry.schemas.Names;
import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.avro.CreateInstance;
import dev.ferry.schemas.avro.TriggerSource;
import dev.ferry.schemas.serde.BoundedDecoder;
import dev.ferry.schemas.serde.WireFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.IntFunction;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Turns one source record into the create command of its instance, or says why it cannot: a pure
 * function of the trigger, the record and the registry's schemas, so every rule is unit-tested.
 */
public final class RecordMapper {

  /** The outcome for one record. */
  public sealed interface Result permits Created, Rejected {}

  public record Created(Command command) implements Result {}

  public record Rejected(String reason) implements Result {}

  private final IntFunction<Schema> schemasById;

  /** {@code schemasById} looks up writer schemas of Avro values (the registry). */
  public RecordMapper(IntFunction<Schema> schemasById) {
    this.schemasById = schemasById;
  }

  public Result map(TriggerSpec spec, ConsumerRecord<byte[], byte[]> record, long now) {
    JsonNode value;
    try {
      value = read(spec, record.value());
    } catch (IllegalArgumentException e) {
      return new Rejected("value: " + e.getMessage());
    }
    String id;
    switch (spec.idFrom()) {
      case KEY -> {
        if (record.key() == null) {
          return new Rejected("id: the record has no key");
        }
        id = new String(record.key(), StandardCharsets.UTF_8);
      }
      case HEADER -> {
        Header header = record.headers().lastHeader(spec.idName());
        if (header == null || header.value() == null) {
          return new Rejected("id: the record has no header '" + spec.idName() + "'");
        }
        id = new String(header.value(), StandardCharsets.UTF_8);
      }
      case FIELD -> {
        JsonNode field = field(value, spec.idName());
        if (!field.isTextual() && !field.isIntegralNumber()) {
          return new Rejected("id: field '" + spec.idName() + "' is missing or not a string");
        }
        id = field.asText();
      }
      default -> id = generatedId(record.topic(), record.partition(), record.offset());
    }
    var badId = Names.checkInstanceId(id);
    if (badId.isPresent()) {
      return new Rejected("id: " + badId.get());
    }
    JsonNode params = value;
    if (spec.paramsFrom() == TriggerSpec.ParamsFrom.FIELD) {
      params = field(value, spec.paramsName());
      if (params.isMissingNode()) {
        return new Rejected("params: field '" + spec.paramsName() + "' is missing");
      }
    }
    String paramsJson = Json.write(params);
    if (!Limits.fitsPayload(paramsJson)) {
      return new Rejected("params must be at most 1 MiB of JSON");
    }
    return new Created(
        Command.newBuilder()
            .setRequestId(
                "trigger:"
                    + spec.name()
                    + ":"
                    + record.topic()
                    + ":"
                    + record.partition()
                    + ":"
                    + record.offset())
            .setAccount(spec.account())
            .setWorkflow(spec.workflow())
            .setInstanceId(id)
            .setIssuedAt(now)
            .setAction(
                CreateInstance.newBuilder()
                    .setParams(paramsJson)
                    .setTriggerSource(TriggerSource.EVENT)
                    .build())
            .build());
  }

  /** {@code <topic>-<partition>-<offset>}, with characters ids do not allow replaced by '-'. */
  static String generatedId(String topic, int partition, long offset) {
    String suffix = "-" + partition + "-" + offset;
    String base = topic.replaceAll("[^a-zA-Z0-9_-]", "-");
    if (!base.isEmpty() && base.charAt(0) == '-') {
      base = "t" + base;
    }
    int room = Names.MAX_INSTANCE_ID - suffix.length();
    return (base.length() > room ? base.substring(0, room) : base) + suffix;
  }

  private JsonNode read(TriggerSpec spec, byte[] bytes) {
    if (bytes == null) {
      throw new IllegalArgumentException("the record has no value (a tombstone)");
    }
    return switch (spec.format()) {
      case STRING ->
          Json.mapper().getNodeFactory().textNode(new String(bytes, StandardCharsets.UTF_8));
      case JSON -> Json.parse(new String(bytes, StandardCharsets.UTF_8));
      case AVRO -> avro(bytes);
    };
  }

  private JsonNode avro(byte[] bytes) {
    Schema writer;
    try {
      writer = schemasById.apply(WireFormat.schemaId(bytes));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    try {
      Object datum =
          new GenericDatumReader<Object>(writer)
              .read(
                  null,
                  BoundedDecoder.over(
                      bytes, WireFormat.HEADER_SIZE, bytes.length - WireFormat.HEADER_SIZE));
      // GenericData renders records as JSON objects with unions unwrapped: the natural params.
      return Json.parse(GenericData.get().toString(datum));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not Avro of schema " + writer.getFullName() + ": " + e);
    }
  }

  /** A dotted path into the value, or a missing node. */
  private static JsonNode field(JsonNode value, String path) {
    JsonNode node = value;
    for (String part : path.split("\\.")) {
      node = node.path(part);
    }
    return node;
  }
}
