package dev.ferry.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.embedded.SelfSignedCertificate;
import dev.ferry.embedded.junit.KafkaTestCluster;
import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.config.StoreFile;
import dev.ferry.schemas.registry.HttpSchemaRegistryClient;
import dev.ferry.schemas.registry.RegistrySettings;
import dev.ferry.schemas.registry.SchemaRegistryException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaTestCluster.class)
class SchemaRegistryProtectionIT {
  private static final String COMMANDS = "/subjects/workflows.commands-value";
  private static final String ADMIN = "admin:p@ss:w/rd %";

  private static SchemaRegistryServer start(
      KafkaTestCluster.Bootstrap kafka, Optional<String> userInfo, boolean readOnly) {
    return SchemaRegistryServer.start(
        new SchemaRegistryServer.Options(
            dev.ferry.schemas.config.KafkaSettings.of(kafka.servers()),
            "schemas-" + UUID.randomUUID(),
            "127.0.0.1",
            0,
            userInfo,
            readOnly,
            Optional.empty(),
            Optional.empty()));
  }

  @Test
  void shouldAnswerProbesAndScrapesWithoutCredentialsButNothingElse(
      KafkaTestCluster.Bootstrap kafka) throws Exception {
    try (var server = start(kafka, Optional.of(ADMIN), false)) {
      var http = java.net.http.HttpClient.newHttpClient();
      java.util.function.Function<String, HttpResponse<String>> get =
          path -> {
            try {
              return http.send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create("http://127.0.0.1:" + server.port() + path))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          };

      assertThat(get.apply("/livez").statusCode()).isEqualTo(200);
      assertThat(get.apply("/readyz").body()).contains("\"ready\":true");
      assertThat(get.apply("/metrics").body()).contains("jvm_memory_used_bytes");
      assertThat(get.apply("/subjects").statusCode()).isEqualTo(401);
    }
  }

  @Test
  void shouldRefuseAnonymousCallersDeletingOrReconfiguringFerrysOwnSubjects(
      KafkaTestCluster.Bootstrap kafka) {
    try (var server = start(kafka, Optional.empty(), false)) {
      var calls = RegistryCalls.anonymous(server);
      new HttpSchemaRegistryClient("http://127.0.0.1:" + server.port())
          .register("workflows.commands-value", Command.getClassSchema());

      HttpResponse<String> delete = calls.delete(COMMANDS);
      HttpResponse<String> deleteVersion = calls.delete(COMMANDS + "/versions/1");
      HttpResponse<String> none =
          calls.put("/config/workflows.commands-value", "{\"compatibility\":\"NONE\"}");
      HttpResponse<String> mode = calls.put("/mode", "{\"mode\":\"READONLY\"}");
      HttpResponse<String> subjectMode =
          calls.put("/mode/workflows.commands-value", "{\"mode\":\"READONLY\"}");

      for (HttpResponse<String> refused :
          java.util.List.of(delete, deleteVersion, none, mode, subjectMode)) {
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body())
            .contains("\"error_code\":40301")
            .contains(RegistryConfig.AUTH_USER_INFO);
      }
      assertThat(calls.get(COMMANDS + "/versions").body()).isEqualTo("[1]");
      assertThat(calls.get("/mode").body()).contains("READWRITE");
      // kafkajs reads the subject's level, and sets BACKWARD when there is none: both work.
      assertThat(calls.get("/config/workflows.commands-value").body())
          .isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");
      assertThat(
              calls
                  .put("/config/workflows.commands-value", "{\"compatibility\":\"BACKWARD\"}")
                  .statusCode())
          .isEqualTo(200);
      assertThat(calls.delete("/subjects/orders-value").body()).contains("40401"); // others: free
    }
  }

  @Test
  void shouldServeHttpsToClientsThatTrustItsCertificateAndPresentBasicAuthUserInfo(
      KafkaTestCluster.Bootstrap kafka, @TempDir Path dir) {
    SelfSignedCertificate certificate = SelfSignedCertificate.create(dir, "store-secret");
    StoreFile keyStore =
        new StoreFile(
            RegistryConfig.KEYSTORE_LOCATION, certificate.keyStore(), "store-secret", "PKCS12");
    StoreFile trustStore =
        new StoreFile(
            "schema.registry.ssl.truststore.location",
            certificate.trustStore(),
            "store-secret",
            "PKCS12");
    try (var server =
        SchemaRegistryServer.start(
            new SchemaRegistryServer.Options(
                dev.ferry.schemas.config.KafkaSettings.of(kafka.servers()),
                "schemas-" + UUID.randomUUID(),
                "127.0.0.1",
                0,
                Optional.of(ADMIN),
                false,
                Optional.of(keyStore),
                Optional.empty()))) {
      String url = "https://127.0.0.1:" + server.port();
      var trusted =
          new HttpSchemaRegistryClient(
              new RegistrySettings(url, Optional.of(ADMIN), Optional.of(trustStore)));
      int id = trusted.register("workflows.commands-value", Command.getClassSchema());
      assertThat(trusted.latest("workflows.commands-value").id()).isEqualTo(id);

      assertThatThrownBy(
              () ->
                  new HttpSchemaRegistryClient(
                          new RegistrySettings(url, Optional.of(ADMIN), Optional.empty()))
                      .latest("workflows.commands-value"))
          .isInstanceOf(SchemaRegistryException.class)
          .hasMessageContaining("TLS with the schema registry at " + url + " failed")
          .hasMessageContaining("schema.registry.ssl.truststore.location");
      assertThatThrownBy(
              () ->
                  new HttpSchemaRegistryClient(
                          new RegistrySettings(url, Optional.empty(), Optional.of(trustStore)))
                      .latest("workflows.commands-value"))
          .isInstanceOf(SchemaRegistryException.class)
          .hasMessageContaining("set basic.auth.user.info");
      assertThatThrownBy(
              () ->
                  new HttpSchemaRegistryClient(
                          new RegistrySettings(
                              url, Optional.of("admin:guess"), Optional.of(trustStore)))
                      .latest("workflows.commands-value"))
          .hasMessageContaining("refused the credentials of basic.auth.user.info")
          .hasMessageNotContaining("guess");
      assertThatThrownBy( // the port speaks TLS only: plain HTTP gets no schema
              () ->
                  new HttpSchemaRegistryClient("http://127.0.0.1:" + server.port())
                      .latest("workflows.commands-value"))
          .isInstanceOf(SchemaRegistryException.class);
    }
  }

  @Test
  void shouldRequireCredentialsWhenConfiguredAndLetTheirHolderChangeAnything(
      KafkaTestCluster.Bootstrap kafka) {
    try (var server = start(kafka, Optional.of(ADMIN), false)) {
      var anonymous = RegistryCalls.anonymous(server);
      var admin = anonymous.as(ADMIN);
      var client =
          new HttpSchemaRegistryClient(
              HttpSchemaRegistryClient.withCredentials("http://127.0.0.1:" + server.port(), ADMIN));
      int id = client.register("workflows.commands-value", Command.getClassSchema());

      HttpResponse<String> noCredentials = anonymous.get("/subjects");
      HttpResponse<String> wrongPassword = anonymous.as("admin:guess").get("/subjects");
      assertThat(noCredentials.statusCode()).isEqualTo(401);
      assertThat(noCredentials.headers().firstValue("WWW-Authenticate")).isPresent();
      assertThat(noCredentials.body()).contains("\"error_code\":40101");
      assertThat(wrongPassword.statusCode()).isEqualTo(401);
      assertThatThrownBy(
              () -> new HttpSchemaRegistryClient("http://127.0.0.1:" + server.port()).getById(id))
          .isInstanceOf(SchemaRegistryException.class)
          .extracting(e -> ((SchemaRegistryException) e).errorCode())
          .isEqualTo(40101);
      assertThatThrownBy(
              () ->
                  new HttpSchemaRegistryClient("http://admin:guess@127.0.0.1:" + server.port())
                      .getById(id))
          .hasMessageNotContaining("guess");
      assertThat(admin.put("/mode", "{\"mode\":\"READONLY\"}").statusCode()).isEqualTo(200);
      assertThat(admin.register("other-value", "\"string\"").body()).contains("42205");
      assertThat(admin.put("/mode", "{\"mode\":\"READWRITE\"}").statusCode()).isEqualTo(200);
      assertThat(admin.delete(COMMANDS).body()).isEqualTo("[1]");
      assertThat(admin.get("/subjects").body()).isEqualTo("[]");
    }
  }

  @Test
  void shouldRefuseEveryChangeWhenReadOnlyAndStillServeReads(KafkaTestCluster.Bootstrap kafka) {
    String topic = "schemas-" + UUID.randomUUID();
    int id;
    try (var server = SchemaRegistryServer.start(kafka.servers(), topic, "127.0.0.1", 0)) {
      id =
          new HttpSchemaRegistryClient("http://127.0.0.1:" + server.port())
              .register("orders-value", Command.getClassSchema());
    }
    try (var server =
        SchemaRegistryServer.start(
            new SchemaRegistryServer.Options(
                dev.ferry.schemas.config.KafkaSettings.of(kafka.servers()),
                topic,
                "127.0.0.1",
                0,
                Optional.empty(),
                true,
                Optional.empty(),
                Optional.empty()))) {
      var calls = RegistryCalls.anonymous(server);
      var client = new HttpSchemaRegistryClient("http://127.0.0.1:" + server.port());
      var evolved = SchemaBuilder.record("R").fields().requiredString("a").endRecord().toString();

      for (HttpResponse<String> refused :
          java.util.List.of(
              calls.register("orders-value", evolved),
              calls.delete("/subjects/orders-value"),
              calls.put("/config", "{\"compatibility\":\"NONE\"}"),
              calls.put("/config/orders-value", "{\"compatibility\":\"NONE\"}"))) {
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("\"error_code\":42205").contains("read-only");
      }
      assertThat(calls.get("/mode").body()).isEqualTo("{\"mode\":\"READONLY\"}");
      assertThat(client.getById(id)).isEqualTo(Command.getClassSchema());
      // An already registered schema still answers with its id, as serializers ask for it.
      assertThat(client.register("orders-value", Command.getClassSchema())).isEqualTo(id);
      assertThat(Map.of("versions", calls.get("/subjects/orders-value/versions").body()))
          .containsEntry("versions", "[1]");
    }
  }
}
