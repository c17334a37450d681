package dev.ferry.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryTest {
  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

  private static Schema v1() {
    return SchemaBuilder.record("R").fields().requiredString("a").endRecord();
  }

  private static Schema v2WithDefault() {
    return SchemaBuilder.record("R")
        .fields()
        .requiredString("a")
        .name("b")
        .type()
        .intType()
        .intDefault(0)
        .endRecord();
  }

  @Test
  void shouldGiveTheSameIdToTheSameSchemaInEverySubject() {
    int first = registry.register("a-value", v1());
    int second = registry.register("b-value", v1());
    int again = registry.register("a-value", v1());

    assertThat(second).isEqualTo(first);
    assertThat(again).isEqualTo(first);
    assertThat(registry.versions("a-value")).hasSize(1);
  }

  @Test
  void shouldAcceptBackwardCompatibleChangeAsNextVersion() {
    registry.register("s", v1());

    int id = registry.register("s", v2WithDefault());

    assertThat(registry.latest("s").version()).isEqualTo(2);
    assertThat(registry.latest("s").id()).isEqualTo(id);
  }

  @Test
  void shouldRejectFieldWithoutDefaultUnderBackwardCompatibility() {
    registry.register("s", v1());
    Schema breaking =
        SchemaBuilder.record("R").fields().requiredString("a").requiredInt("b").endRecord();

    assertThat(registry.isCompatible("s", "latest", breaking)).isFalse();
    assertThatThrownBy(() -> registry.register("s", breaking))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("incompatible")
        .extracting(e -> ((SchemaRegistryException) e).errorCode())
        .isEqualTo(409);
  }

  @Test
  void shouldReportUnknownSubjectWithConfluentCode() {
    assertThatThrownBy(() -> registry.latest("missing"))
        .isInstanceOf(SchemaRegistryException.class)
        .extracting(e -> ((SchemaRegistryException) e).errorCode())
        .isEqualTo(40401);
  }
}
