package dev.ferry.orchestrator.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.schemas.Json;
import dev.ferry.schemas.avro.CreateInstance;
import dev.ferry.schemas.avro.TriggerSource;
import dev.ferry.schemas.registry.InMemorySchemaRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class RecordMapperTest {
  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  private final RecordMapper mapper = new RecordMapper(registry::getById);

  private static TriggerSpec spec(
      TriggerSpec.Format format,
      TriggerSpec.IdFrom idFrom,
      String idName,
      TriggerSpec.ParamsFrom paramsFrom,
      String paramsName) {
    return new TriggerSpec(
        "orders",
        "shop.orders",
        "dev",
        "three-steps",
        format,
        idFrom,
        idName,
        paramsFrom,
        paramsName);
  }

  private static ConsumerRecord<byte[], byte[]> record(String key, byte[] value) {
    return new ConsumerRecord<>(
        "shop.orders", 2, 41, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static RecordMapper.Created created(RecordMapper.Result result) {
    assertThat(result).isInstanceOf(RecordMapper.Created.class);
    return (RecordMapper.Created) result;
  }

  @Test
  void shouldTakeIdAndParamsFromJsonFields() {
    var result =
        mapper.map(
            spec(
                TriggerSpec.Format.JSON,
                TriggerSpec.IdFrom.FIELD,
                "order.id",
                TriggerSpec.ParamsFrom.FIELD,
                "payload"),
            record("k", utf8("{\"order\":{\"id\":\"o-7\"},\"payload\":{\"value\":3}}")),
            1000);

    var command = created(result).command();
    assertThat(command.getInstanceId()).isEqualTo("o-7");
    assertThat(command.getAccount()).isEqualTo("dev");
    assertThat(command.getWorkflow()).isEqualTo("three-steps");
    assertThat(command.getRequestId()).isEqualTo("trigger:orders:shop.orders:2:41");
    CreateInstance create = (CreateInstance) command.getAction();
    assertThat(Json.parse(create.getParams())).isEqualTo(Json.parse("{\"value\":3}"));
    assertThat(create.getTriggerSource()).isEqualTo(TriggerSource.EVENT);
  }

  @Test
  void shouldTakeTheIdFromTheKeyOrAHeaderOrGenerateItFromThePosition() {
    var fromKey =
        mapper.map(
            spec(
                TriggerSpec.Format.JSON,
                TriggerSpec.IdFrom.KEY,
                null,
                TriggerSpec.ParamsFrom.VALUE,
                null),
            record("key-1", utf8("{}")),
            1);
    ConsumerRecord<byte[], byte[]> withHeader = record(null, utf8("{}"));
    withHeader.headers().add("instance", utf8("hdr-1"));
    var fromHeader =
        mapper.map(
            spec(
                TriggerSpec.Format.JSON,
                TriggerSpec.IdFrom.HEADER,
                "instance",
                TriggerSpec.ParamsFrom.VALUE,
                null),
            withHeader,
            1);
    var generated =
        mapper.map(
            spec(
                TriggerSpec.Format.STRING,
                TriggerSpec.IdFrom.GENERATED,
                null,
                TriggerSpec.ParamsFrom.VALUE,
                null),
            record(null, utf8("plain text")),
            1);

    assertThat(created(fromKey).command().getInstanceId()).isEqualTo("key-1");
    assertThat(created(fromHeader).command().getInstanceId()).isEqualTo("hdr-1");
    assertThat(created(generated).command().getInstanceId()).isEqualTo("shop-orders-2-41");
    assertThat(((CreateInstance) created(generated).command().getAction()).getParams())
        .isEqualTo("\"plain text\"");
  }

  @Test
  void shouldReadAvroValuesWithTheWriterSchemaFromTheRegistry() throws Exception {
    Schema schema =
        SchemaBuilder.record("Order")
            .fields()
            .requiredString("id")
            .requiredInt("value")
            .endRecord();
    int id = registry.register("shop.orders-value", schema);
    GenericRecord order = new GenericData.Record(schema);
    order.put("id", "avro-1");
    order.put("value", 9);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(id).array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(order, encoder);
    encoder.flush();

    var result =
        mapper.map(
            spec(
                TriggerSpec.Format.AVRO,
                TriggerSpec.IdFrom.FIELD,
                "id",
                TriggerSpec.ParamsFrom.VALUE,
                null),
            record(null, out.toByteArray()),
            1);

    var command = created(result).command();
    assertThat(command.getInstanceId()).isEqualTo("avro-1");
    assertThat(Json.parse(((CreateInstance) command.getAction()).getParams()))
        .isEqualTo(Json.parse("{\"id\":\"avro-1\",\"value\":9}"));
  }

  @Test
  void shouldRejectRecordsItCannotMapSayingWhy() {
    TriggerSpec byField =
        spec(
            TriggerSpec.Format.JSON,
            TriggerSpec.IdFrom.FIELD,
            "id",
            TriggerSpec.ParamsFrom.VALUE,
            null);
    TriggerSpec avro =
        spec(
            TriggerSpec.Format.AVRO,
            TriggerSpec.IdFrom.GENERATED,
            null,
            TriggerSpec.ParamsFrom.VALUE,
            null);

    assertThat(mapper.map(byField, record(null, utf8("{not json")), 1))
        .isInstanceOfSatisfying(
            RecordMapper.Rejected.class, r -> assertThat(r.reason()).startsWith("value:"));
    assertThat(mapper.map(byField, record(null, utf8("{\"other\":1}")), 1))
        .isInstanceOfSatisfying(
            RecordMapper.Rejected.class, r -> assertThat(r.reason()).contains("field 'id'"));
    assertThat(mapper.map(byField, record(null, utf8("{\"id\":\"-bad id\"}")), 1))
        .isInstanceOfSatisfying(
            RecordMapper.Rejected.class, r -> assertThat(r.reason()).startsWith("id:"));
    assertThat(mapper.map(byField, record(null, null), 1))
        .isInstanceOfSatisfying(
            RecordMapper.Rejected.class, r -> assertThat(r.reason()).contains("tombstone"));
    assertThat(mapper.map(avro, record(null, new byte[] {1, 2, 3, 4, 5, 6}), 1))
        .isInstanceOfSatisfying(
            RecordMapper.Rejected.class, r -> assertThat(r.reason()).contains("magic byte"));
    assertThat(mapper.map(avro, record(null, new byte[] {0, 0, 0, 0, 99, 6}), 1))
        .isInstanceOf(RecordMapper.Rejected.class);
  }

  @Test
  void shouldShortenLongTopicNamesInGeneratedIds() {
    String id = RecordMapper.generatedId("x".repeat(200), 3, 123456789L);

    assertThat(id).hasSize(100).endsWith("-3-123456789");
    assertThat(RecordMapper.generatedId(".hidden", 0, 0)).isEqualTo("t-hidden-0-0");
  }
}
