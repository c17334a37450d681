package dev.ferry.orchestrator.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TriggerConfigFileTest {
  @Test
  void shouldReadTriggersWithDefaults() {
    List<TriggerSpec> specs =
        TriggerConfigFile.parse(
            """
            {"triggers": [
              {"name": "orders", "topic": "shop.orders", "account": "dev", "workflow": "w",
               "format": "avro", "id": {"from": "field", "name": "id"},
               "params": {"from": "field", "name": "body"}},
              {"name": "pings", "topic": "pings", "account": "dev", "workflow": "w"}]}
            """,
            "test");

    assertThat(specs).hasSize(2);
    assertThat(specs.get(0).format()).isEqualTo(TriggerSpec.Format.AVRO);
    assertThat(specs.get(0).idName()).isEqualTo("id");
    assertThat(specs.get(1).format()).isEqualTo(TriggerSpec.Format.JSON);
    assertThat(specs.get(1).idFrom()).isEqualTo(TriggerSpec.IdFrom.GENERATED);
    assertThat(specs.get(1).paramsFrom()).isEqualTo(TriggerSpec.ParamsFrom.VALUE);
  }

  @Test
  void shouldNameTheTriggerAndFieldOfAMistake() {
    assertThatThrownBy(
            () ->
                TriggerConfigFile.parse(
                    "{\"triggers\":[{\"name\":\"a\",\"topic\":\"t\",\"account\":\"dev\"}]}", "f"))
        .hasMessage("f: triggers[0]: workflow is required and must be a string");
    assertThatThrownBy(
            () ->
                TriggerConfigFile.parse(
                    "{\"triggers\":[{\"name\":\"a\",\"topic\":\"t\",\"account\":\"dev\","
                        + "\"workflow\":\"w\",\"id\":{\"from\":\"field\"}}]}",
                    "f"))
        .hasMessage("f: triggers[0]: id.name is required when id.from is field");
    assertThatThrownBy(
            () ->
                TriggerConfigFile.parse(
                    "{\"triggers\":[{\"name\":\"a\",\"topic\":\"t\",\"account\":\"dev\","
                        + "\"workflow\":\"w\",\"format\":\"xml\"}]}",
                    "f"))
        .hasMessageContaining("format 'xml' must be one of: json, avro, string");
    assertThatThrownBy(
            () ->
                TriggerConfigFile.parse(
                    "{\"triggers\":[{\"name\":\"a\",\"topic\":\"t\",\"account\":\"dev\","
                        + "\"workflow\":\"w\",\"colour\":1}]}",
                    "f"))
        .hasMessageContaining("unknown field 'colour'");
    assertThatThrownBy(
            () ->
                TriggerConfigFile.parse(
                    "{\"triggers\":[{\"name\":\"a\",\"topic\":\"t\",\"account\":\"dev\",\"workflow\":\"w\"},"
                        + "{\"name\":\"b\",\"topic\":\"t\",\"account\":\"dev\",\"workflow\":\"w\"}]}",
                    "f"))
        .hasMessageContaining("topic 't' already has a trigger");
  }
}
