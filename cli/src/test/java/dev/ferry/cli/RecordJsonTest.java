package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.avro.InstanceEvent;
import dev.ferry.schemas.registry.InMemorySchemaRegistry;
import dev.ferry.schemas.serde.ConfluentAvroSerializer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class RecordJsonTest {
  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

  @Test
  void shouldDecodeAnAvroValueWithTheSchemaItWasWrittenWith() throws Exception {
    InstanceEvent event =
        InstanceEvent.newBuilder()
            .setEventId("e-1")
            .setAccount("acct")
            .setWorkflow("w")
            .setInstanceId("i")
            .setType("approval")
            .setPayload("{\"ok\":true}")
            .setSentAt(1L)
            .build();
    byte[] value =
        new ConfluentAvroSerializer<InstanceEvent>(registry, InstanceEvent.getClassSchema())
            .serialize("workflows.events", event);

    JsonNode line =
        new ObjectMapper()
            .readTree(
                new RecordJson(registry)
                    .line(
                        new ConsumerRecord<>(
                            "workflows.events", 1, 42, "acct/w/i".getBytes(), value)));

    assertThat(line.path("offset").asLong()).isEqualTo(42);
    assertThat(line.path("key").asText()).isEqualTo("acct/w/i");
    assertThat(line.path("value").path("instanceId").asText()).isEqualTo("i");
    assertThat(line.path("value").path("requestId").isNull()).isTrue();
    assertThat(line.path("schema_id").isInt()).isTrue();
  }

  @Test
  void shouldShowARecordThatIsNotAvroAsTextWithTheReason() throws Exception {
    JsonNode line =
        new ObjectMapper()
            .readTree(
                new RecordJson(registry)
                    .line(
                        new ConsumerRecord<>(
                            Topics.DEAD_LETTER_SUFFIX,
                            0,
                            0,
                            null,
                            "{not avro".getBytes(StandardCharsets.UTF_8))));

    assertThat(line.path("value_text").asText()).isEqualTo("{not avro");
    assertThat(line.path("not_decoded").asText()).contains("magic byte");
    assertThat(line.path("key").isNull()).isTrue();
  }
}
