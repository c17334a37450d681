package dev.ferry.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.schemas.avro.ErrorInfo;
import dev.ferry.schemas.registry.InMemorySchemaRegistry;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class ConfluentAvroSerdeTest {
  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

  @Test
  void shouldWriteMagicByteSchemaIdAndAvroBinaryExactlyAsConfluentDoes() {
    var serializer = new ConfluentAvroSerializer<ErrorInfo>(registry, ErrorInfo.getClassSchema());

    byte[] bytes = serializer.serialize("t", new ErrorInfo("E", "m"));

    // 0 = magic, 00 00 00 01 = schema id 1 big-endian, then Avro: zigzag length 1 (=2) + "E",
    // zigzag length 1 + "m".
    assertThat(bytes).containsExactly(0, 0, 0, 0, 1, 2, 'E', 2, 'm');
    assertThat(registry.latest("t-value").id()).isEqualTo(1);
  }

  @Test
  void shouldEncodeLargeSchemaIdsBigEndian() {
    for (int i = 0; i < 299; i++) {
      registry.register("filler-" + i, SchemaBuilder.fixed("F" + i).size(1));
    }
    var serializer = new ConfluentAvroSerializer<ErrorInfo>(registry, ErrorInfo.getClassSchema());

    byte[] bytes = serializer.serialize("t", new ErrorInfo("", ""));

    assertThat(bytes).startsWith(0, 0, 0, 0x01, 0x2c); // id 300 = 0x012c
  }

  @Test
  void shouldRefuseAStringLongerThanTheRecordBeforeAllocatingIt() {
    var serde = ConfluentAvroSerde.<ErrorInfo>of(registry, ErrorInfo.getClassSchema());
    int id = registry.register("t-value", ErrorInfo.getClassSchema());
    // 10 bytes: magic, schema id, then a zigzag varint claiming a string of 2^30 - 1 bytes.
    byte[] bytes = {0, 0, 0, 0, (byte) id, (byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 7};

    assertThatThrownBy(() -> serde.deserializer().deserialize("t", bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("a string of 1073741823 bytes claimed where only 0 are left");
  }

  @Test
  void shouldRefuseAnArrayOfMoreItemsThanTheRecordCanHold() {
    Schema strings = SchemaBuilder.array().items().stringType();
    Schema record =
        SchemaBuilder.record("Names").fields().name("names").type(strings).noDefault().endRecord();
    int id = registry.register("names-value", record);
    // Array blocks claiming 2^22 items (past this decoder's bound) and 2^40 (past Avro's own).
    byte[] many = record(id, 0x80, 0x80, 0x80, 0x04, 0);
    byte[] huge = record(id, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40, 0);
    var deserializer =
        new ConfluentAvroDeserializer<org.apache.avro.specific.SpecificRecord>(registry, record);

    assertThatThrownBy(() -> deserializer.deserialize("names", many))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("a block of 4194304 items claimed where only 1 bytes are left");
    assertThatThrownBy(() -> deserializer.deserialize("names", huge))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("collections larger than");
  }

  /** The wire format of schema {@code id} around these Avro bytes. */
  private static byte[] record(int id, int... avro) {
    byte[] bytes = new byte[5 + avro.length];
    bytes[4] = (byte) id;
    for (int i = 0; i < avro.length; i++) {
      bytes[5 + i] = (byte) avro[i];
    }
    return bytes;
  }

  @Test
  void shouldRoundTripThroughTheRegistry() {
    var serde = ConfluentAvroSerde.<ErrorInfo>of(registry, ErrorInfo.getClassSchema());
    ErrorInfo value = new ErrorInfo("NonRetryableError", "card declined");

    byte[] bytes = serde.serializer().serialize("t", value);

    assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(value);
  }

  @Test
  void shouldReadRecordsWrittenWithAnOlderCompatibleSchema() {
    Schema older =
        SchemaBuilder.record("ErrorInfo")
            .namespace("dev.ferry.schemas.avro")
            .fields()
            .requiredString("name")
            .requiredString("message")
            .endRecord();
    int id = registry.register("t-value", older);
    byte[] bytes = {0, 0, 0, 0, (byte) id, 2, 'A', 2, 'b'};

    ErrorInfo read =
        new ConfluentAvroDeserializer<ErrorInfo>(registry, ErrorInfo.getClassSchema())
            .deserialize("t", bytes);

    assertThat(read).isEqualTo(new ErrorInfo("A", "b"));
  }

  @Test
  void shouldRejectUnknownMagicByteNamingIt() {
    var deserializer =
        new ConfluentAvroDeserializer<ErrorInfo>(registry, ErrorInfo.getClassSchema());

    assertThatThrownBy(() -> deserializer.deserialize("t", new byte[] {7, 0, 0, 0, 1, 0}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("unknown magic byte 7");
  }

  @Test
  void shouldRejectUnknownSchemaId() {
    var deserializer =
        new ConfluentAvroDeserializer<ErrorInfo>(registry, ErrorInfo.getClassSchema());

    assertThatThrownBy(() -> deserializer.deserialize("t", new byte[] {0, 0, 0, 0, 42, 0}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("unknown schema id 42");
  }

  @Test
  void shouldRejectBytesThatDoNotMatchTheSchema() {
    int id = registry.register("t-value", ErrorInfo.getClassSchema());
    var deserializer =
        new ConfluentAvroDeserializer<ErrorInfo>(registry, ErrorInfo.getClassSchema());

    assertThatThrownBy(() -> deserializer.deserialize("t", new byte[] {0, 0, 0, 0, (byte) id, 40}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("cannot decode");
  }
}
