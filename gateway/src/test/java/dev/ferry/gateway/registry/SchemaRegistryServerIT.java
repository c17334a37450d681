package dev.ferry.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.embedded.junit.KafkaTestCluster;
import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.registry.HttpSchemaRegistryClient;
import dev.ferry.schemas.registry.SchemaRegistryException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaTestCluster.class)
class SchemaRegistryServerIT {

  private static Schema record(String... fields) {
    var builder = SchemaBuilder.record("R").fields().requiredString("a");
    for (String field : fields) {
      builder = builder.name(field).type().intType().intDefault(0);
    }
    return builder.endRecord();
  }

  @Test
  void shouldKeepIdsAndVersionsAcrossRestart(KafkaTestCluster.Bootstrap kafka) {
    String topic = "schemas-" + UUID.randomUUID();
    int commandId;
    int evolvedId;
    try (var server = SchemaRegistryServer.start(kafka.servers(), topic, "127.0.0.1", 0)) {
      var client = new HttpSchemaRegistryClient("http://127.0.0.1:" + server.port());
      commandId = client.register("workflows.commands-value", Command.getClassSchema());
      client.register("s-value", record());
      evolvedId = client.register("s-value", record("b"));
    }
    try (var server = SchemaRegistryServer.start(kafka.servers(), topic, "127.0.0.1", 0)) {
      var client = new HttpSchemaRegistryClient("http://127.0.0.1:" + server.port());

      assertThat(client.getById(commandId)).isEqualTo(Command.getClassSchema());
      assertThat(client.latest("s-value").version()).isEqualTo(2);
      assertThat(client.latest("s-value").id()).isEqualTo(evolvedId);
      assertThat(client.register("other-value", Command.getClassSchema())).isEqualTo(commandId);
    }
  }

  @Test
  void shouldRefuseIncompatibleSchemaWithConfluentErrorCode(KafkaTestCluster.Bootstrap kafka) {
    try (var server =
        SchemaRegistryServer.start(
            kafka.servers(), "schemas-" + UUID.randomUUID(), "127.0.0.1", 0)) {
      var client = new HttpSchemaRegistryClient("http://127.0.0.1:" + server.port());
      client.register("s-value", record());
      Schema breaking =
          SchemaBuilder.record("R").fields().requiredString("a").requiredInt("x").endRecord();

      assertThat(client.isCompatible("s-value", "latest", breaking)).isFalse();
      assertThat(client.isCompatible("s-value", "latest", record("c"))).isTrue();
      assertThatThrownBy(() -> client.register("s-value", breaking))
          .isInstanceOf(SchemaRegistryException.class)
          .extracting(e -> ((SchemaRegistryException) e).errorCode())
          .isEqualTo(409);
      assertThatThrownBy(() -> client.latest("missing-value"))
          .extracting(e -> ((SchemaRegistryException) e).errorCode())
          .isEqualTo(40401);
    }
  }

  @Test
  void shouldKeepFerrysOwnSubjectsBackwardCompatibleWhateverTheConfiguredLevel(
      KafkaTestCluster.Bootstrap kafka) throws Exception {
    try (var server =
        SchemaRegistryServer.start(
            kafka.servers(), "schemas-" + UUID.randomUUID(), "127.0.0.1", 0)) {
      String base = "http://127.0.0.1:" + server.port();
      var client = new HttpSchemaRegistryClient(base);
      client.register("workflows.commands-value", Command.getClassSchema());
      client.register("orders-value", record());
      HttpResponse<String> none =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(base + "/config"))
                      .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                      .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"NONE\"}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      Schema hijack = SchemaBuilder.record("Hijack").fields().requiredLong("x").endRecord();

      assertThat(none.statusCode()).isEqualTo(200);
      assertThatThrownBy(() -> client.register("workflows.commands-value", hijack))
          .isInstanceOf(SchemaRegistryException.class)
          .hasMessageContaining("stays BACKWARD compatible");
      assertThat(client.latest("workflows.commands-value").schema())
          .isEqualTo(Command.getClassSchema());
      assertThat(client.register("orders-value", hijack)).isPositive(); // not Ferry's: NONE holds
    }
  }

  @Test
  void shouldServeConfluentPathsAndContentType(KafkaTestCluster.Bootstrap kafka) throws Exception {
    try (var server =
        SchemaRegistryServer.start(
            kafka.servers(), "schemas-" + UUID.randomUUID(), "127.0.0.1", 0)) {
      String base = "http://127.0.0.1:" + server.port();
      new HttpSchemaRegistryClient(base).register("t-value", record());
      HttpClient http = HttpClient.newHttpClient();

      HttpResponse<String> subjects =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/subjects")).build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> version =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/subjects/t-value/versions/1")).build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> config =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/config")).build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> missing =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/schemas/ids/999")).build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(subjects.body()).isEqualTo("[\"t-value\"]");
      assertThat(subjects.headers().firstValue("content-type"))
          .hasValueSatisfying(
              v -> assertThat(v).startsWith("application/vnd.schemaregistry.v1+json"));
      assertThat(version.body()).contains("\"subject\":\"t-value\"").contains("\"version\":1");
      assertThat(config.body()).isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(missing.body()).contains("\"error_code\":40403");
    }
  }

  private static SchemaRegistryServer start(KafkaTestCluster.Bootstrap kafka) {
    return SchemaRegistryServer.start(
        kafka.servers(), "schemas-" + UUID.randomUUID(), "127.0.0.1", 0);
  }

  @Test
  void shouldAnswerTheConfluentEndpointsStandardClientsCall(KafkaTestCluster.Bootstrap kafka) {
    try (var server = start(kafka)) {
      var calls = RegistryCalls.anonymous(server);
      int id =
          new HttpSchemaRegistryClient("http://127.0.0.1:" + server.port())
              .register("orders-value", record());
      new HttpSchemaRegistryClient("http://127.0.0.1:" + server.port())
          .register("copy-value", record());

      assertThat(calls.get("/schemas/types").body()).isEqualTo("[\"AVRO\"]");
      assertThat(calls.get("/schemas/ids/" + id + "/versions").body())
          .isEqualTo(
              "[{\"subject\":\"copy-value\",\"version\":1},"
                  + "{\"subject\":\"orders-value\",\"version\":1}]");
      assertThat(calls.get("/schemas/ids/" + id + "/subjects").body())
          .isEqualTo("[\"copy-value\",\"orders-value\"]");
      assertThat(calls.get("/mode").body()).isEqualTo("{\"mode\":\"READWRITE\"}");
      HttpResponse<String> unset = calls.get("/config/orders-value");
      assertThat(unset.statusCode()).isEqualTo(404);
      assertThat(unset.body()).contains("\"error_code\":40408");
      assertThat(calls.get("/config/orders-value?defaultToGlobal=true").body())
          .isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");
      // What the kafkajs client's register() does before registering.
      assertThat(calls.put("/config/orders-value", "{\"compatibility\":\"FULL\"}").body())
          .isEqualTo("{\"compatibility\":\"FULL\"}");
      assertThat(calls.get("/config/orders-value").body())
          .isEqualTo("{\"compatibilityLevel\":\"FULL\"}");
      assertThat(calls.register("orders-value", record("b").toString()).statusCode())
          .isEqualTo(200); // FULL allows a field with a default
      assertThat(calls.delete("/config/orders-value").body())
          .isEqualTo("{\"compatibilityLevel\":\"FULL\"}");
      assertThat(calls.get("/config/orders-value").statusCode()).isEqualTo(404);
      HttpResponse<String> badLevel =
          calls.put("/config/orders-value", "{\"compatibility\":\"X\"}");
      assertThat(badLevel.statusCode()).isEqualTo(422);
      assertThat(badLevel.body()).contains("\"error_code\":42203");
      HttpResponse<String> unknownPath = calls.get("/no/such/path");
      assertThat(unknownPath.statusCode()).isEqualTo(404);
      assertThat(unknownPath.body()).contains("\"error_code\":404");
    }
  }

  @Test
  void shouldSoftDeleteThenPermanentlyDeleteAndNeverReuseNumbersOrIds(
      KafkaTestCluster.Bootstrap kafka) {
    String topic = "schemas-" + UUID.randomUUID();
    int firstId;
    try (var server = SchemaRegistryServer.start(kafka.servers(), topic, "127.0.0.1", 0)) {
      var calls = RegistryCalls.anonymous(server);
      var client = new HttpSchemaRegistryClient("http://127.0.0.1:" + server.port());
      firstId = client.register("s-value", record());
      client.register("s-value", record("b"));

      HttpResponse<String> permanentFirst =
          calls.delete("/subjects/s-value/versions/1?permanent=true");
      assertThat(permanentFirst.statusCode()).isEqualTo(404);
      assertThat(permanentFirst.body()).contains("\"error_code\":40407");
      assertThat(calls.delete("/subjects/s-value/versions/1").body()).isEqualTo("1");
      assertThat(calls.delete("/subjects/s-value/versions/1").body()).contains("40406");
      assertThat(calls.get("/subjects/s-value/versions").body()).isEqualTo("[2]");
      assertThat(calls.get("/subjects/s-value/versions?deleted=true").body()).isEqualTo("[1,2]");
      assertThat(calls.get("/subjects/s-value/versions/1").statusCode()).isEqualTo(404);
      assertThat(calls.get("/subjects/s-value/versions/1?deleted=true").statusCode())
          .isEqualTo(200);
      assertThat(calls.delete("/subjects/s-value?permanent=true").body()).contains("40405");
      assertThat(calls.delete("/subjects/s-value").body()).isEqualTo("[2]");
      assertThat(calls.delete("/subjects/s-value").body()).contains("40404");
      assertThat(calls.get("/subjects").body()).isEqualTo("[]");
      assertThat(calls.get("/subjects?deleted=true").body()).isEqualTo("[\"s-value\"]");
      assertThat(calls.delete("/subjects/s-value?permanent=true").body()).isEqualTo("[1,2]");
      assertThat(calls.get("/subjects?deleted=true").body()).isEqualTo("[]");
    }
    try (var server = SchemaRegistryServer.start(kafka.servers(), topic, "127.0.0.1", 0)) {
      var calls = RegistryCalls.anonymous(server);
      var client = new HttpSchemaRegistryClient("http://127.0.0.1:" + server.port());

      assertThat(calls.get("/subjects/s-value/versions").statusCode()).isEqualTo(404);
      assertThat(client.getById(firstId)).isEqualTo(record()); // records written with it decode
      assertThat(client.register("s-value", record("z"))).isGreaterThan(firstId + 1);
      assertThat(client.latest("s-value").version()).isEqualTo(3);
    }
  }
}
