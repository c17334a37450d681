package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.embedded.EmbeddedKafkaBroker;
import dev.ferry.embedded.SaslSslListener;
import dev.ferry.embedded.SelfSignedCertificate;
import dev.ferry.examples.Examples;
import dev.ferry.gateway.Gateway;
import dev.ferry.gateway.GatewayConfig;
import dev.ferry.gateway.registry.RegistryConfig;
import dev.ferry.gateway.registry.SchemaRegistryServer;
import dev.ferry.orchestrator.Orchestrator;
import dev.ferry.orchestrator.OrchestratorConfig;
import dev.ferry.schemas.KafkaConnectionException;
import dev.ferry.schemas.config.FerryConfig;
import dev.ferry.schemas.config.KafkaSettings;
import dev.ferry.worker.WorkerConfig;
import dev.ferry.worker.WorkerRuntime;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole stack against a broker that speaks only SASL_SSL (PLAIN over TLS, its certificate made
 * here), and a registry that answers HTTPS with basic auth: every Kafka client of every part gets
 * the client settings as {@code kafka.<key>}, and nothing can reach the broker without them.
 */
class SecuredClusterIT {
  private static final String STORE_PASSWORD = "store-secret";
  private static final String PASSWORD = "ferry-secret";
  private static final String REGISTRY_USER_INFO = "schemas:registry-secret";
  private static final String TOKEN = "secured-cluster-token";

  private static final Path PYTHON = Path.of("..", "python").toAbsolutePath().normalize();

  @TempDir static Path dir;
  static SelfSignedCertificate certificate;
  static SaslSslListener listener;
  static EmbeddedKafkaBroker broker;
  static SchemaRegistryServer registry;
  static Orchestrator orchestrator;
  static WorkerRuntime worker;
  static Gateway gateway;
  static Map<String, Object> common;

  @BeforeAll
  static void start() {
    certificate = SelfSignedCertificate.create(dir.resolve("tls"), STORE_PASSWORD);
    listener =
        new SaslSslListener(
            certificate.keyStore(),
            certificate.trustStore(),
            STORE_PASSWORD,
            Map.of("ferry", PASSWORD));
    broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0, listener);
    KafkaSettings kafka =
        KafkaSettings.of(broker.bootstrapServers(), listener.clientSettings("ferry"));
    registry =
        SchemaRegistryServer.start(
            SchemaRegistryServer.Options.of(kafka, "_ferry-schemas", "127.0.0.1", 0)
                .protectedBy(
                    new RegistryConfig(
                        Map.of(
                            RegistryConfig.AUTH_USER_INFO, REGISTRY_USER_INFO,
                            RegistryConfig.KEYSTORE_LOCATION, certificate.keyStore().toString(),
                            RegistryConfig.KEYSTORE_PASSWORD, STORE_PASSWORD),
                        Map.of())));
    common = settings(listener.clientSettings("ferry"));
    common.put(FerryConfig.SCHEMA_REGISTRY_URL, "https://127.0.0.1:" + registry.port());
    common.put(FerryConfig.SCHEMA_REGISTRY_USER_INFO, REGISTRY_USER_INFO);
    common.put(
        FerryConfig.SCHEMA_REGISTRY_TRUSTSTORE_LOCATION, certificate.trustStore().toString());
    common.put(FerryConfig.SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD, STORE_PASSWORD);

    Map<String, Object> orchestratorSettings = new HashMap<>(common);
    orchestratorSettings.put(OrchestratorConfig.STATE_DIR, dir.resolve("orchestrator").toString());
    orchestrator = Orchestrator.start(new OrchestratorConfig(orchestratorSettings, Map.of()));
    worker =
        WorkerRuntime.start(new WorkerConfig(new HashMap<>(common), Map.of()), Examples.registry());
    Map<String, Object> gatewaySettings = new HashMap<>(common);
    gatewaySettings.put(GatewayConfig.PORT, 0);
    gatewaySettings.put(GatewayConfig.AUTH_TOKENS, "acct:" + TOKEN);
    gateway = Gateway.start(new GatewayConfig(gatewaySettings, Map.of()));
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable part : new AutoCloseable[] {gateway, worker, orchestrator, registry}) {
      try {
        if (part != null) {
          part.close();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    broker.close();
  }

  /**
   * Every part's settings: the broker's address, the given client settings as {@code kafka.<key>},
   * no admin ports, the account {@code acct}.
   */
  private static Map<String, Object> settings(Map<String, String> client) {
    Map<String, Object> settings = new HashMap<>();
    settings.put(FerryConfig.KAFKA_BOOTSTRAP_SERVERS, broker.bootstrapServers());
    client.forEach((key, value) -> settings.put(KafkaSettings.PREFIX + key, value));
    settings.put(OrchestratorConfig.ADMIN_PORT, -1);
    settings.put(WorkerConfig.ADMIN_PORT, -1);
    settings.put(WorkerConfig.ACCOUNTS, "acct");
    settings.put(FerryConfig.TOPIC_PARTITIONS, 2);
    return settings;
  }

  @Test
  void shouldRunAWorkflowWithAStepAndAnEventThroughTheSecuredClusterAndRegistry() {
    Api api = new Api("http://127.0.0.1:" + gateway.port(), "acct", TOKEN);
    assertThat(
            api.create("approval", "{\"instance_id\":\"sec-1\",\"params\":{\"request\":\"vpn\"}}")
                .status())
        .isEqualTo(201);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> api.status("approval", "sec-1").equals("waiting"));

    api.sendEvent("approval", "sec-1", "approval", "{\"approver\":\"ada\",\"approved\":true}");

    JsonNode result = api.awaitStatus("approval", "sec-1", "complete");
    assertThat(result.path("output").asText()).isEqualTo("request vpn approved by ada");
  }

  @Test
  @Timeout(120) // fails fast: a part given bad credentials must not hang retrying
  void shouldFailEachPartFastNamingTheSettingWhenThePasswordIsWrong() {
    Map<String, Object> wrong = settings(listener.clientSettings("ferry", "not-the-password"));
    wrong.putAll(registryKeys());
    wrong.put(OrchestratorConfig.STATE_DIR, dir.resolve("wrong-orchestrator").toString());

    assertThatThrownBy(() -> Orchestrator.start(new OrchestratorConfig(wrong, Map.of())))
        .isInstanceOf(KafkaConnectionException.class)
        .hasMessageContaining("Kafka at " + broker.bootstrapServers())
        .hasMessageContaining("refused the credentials")
        .hasMessageContaining("Invalid username or password")
        .hasMessageContaining("Check kafka.sasl.jaas.config")
        .hasMessageNotContaining("not-the-password");
    assertThatThrownBy(
            () -> WorkerRuntime.start(new WorkerConfig(wrong, Map.of()), Examples.registry()))
        .isInstanceOf(KafkaConnectionException.class)
        .hasMessageContaining("refused the credentials");
    Map<String, Object> gatewaySettings = new HashMap<>(wrong);
    gatewaySettings.put(GatewayConfig.PORT, 0);
    gatewaySettings.put(GatewayConfig.AUTH_TOKENS, "acct:" + TOKEN);
    assertThatThrownBy(() -> Gateway.start(new GatewayConfig(gatewaySettings, Map.of())))
        .isInstanceOf(KafkaConnectionException.class)
        .hasMessageContaining("refused the credentials");
  }

  @Test
  @Timeout(120)
  void shouldFailFastNamingTheTrustStoreWhenTheBrokersCertificateIsNotTrusted() {
    Map<String, String> untrusting = new HashMap<>(listener.clientSettings("ferry"));
    untrusting.remove("ssl.truststore.location");
    untrusting.remove("ssl.truststore.password");
    untrusting.remove("ssl.truststore.type");
    Map<String, Object> wrong = settings(untrusting);
    wrong.putAll(registryKeys());

    assertThatThrownBy(
            () -> WorkerRuntime.start(new WorkerConfig(wrong, Map.of()), Examples.registry()))
        .isInstanceOf(KafkaConnectionException.class)
        .hasMessageContaining("failed the TLS handshake")
        .hasMessageContaining("kafka.ssl.truststore.location");
  }

  @Test
  @Timeout(120)
  void shouldPrintTheReasonInOneLineWhenALaunchedPartCannotLogIn() throws Exception {
    Properties file = new Properties();
    settings(listener.clientSettings("ferry", "not-the-password"))
        .forEach((key, value) -> file.setProperty(key, String.valueOf(value)));
    registryKeys().forEach((key, value) -> file.setProperty(key, String.valueOf(value)));
    file.remove(OrchestratorConfig.ADMIN_PORT); // not a worker's key
    Path config = dir.resolve("wrong.properties");
    try (var out = Files.newOutputStream(config)) {
      file.store(out, "a worker with a wrong password");
    }
    StringWriter err = new StringWriter();

    int exit =
        FerryCommand.commandLine()
            .setErr(new PrintWriter(err, true))
            .execute("worker", "--config", config.toString());

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString().strip())
        .startsWith("worker: Kafka at " + broker.bootstrapServers())
        .contains("refused the credentials")
        .doesNotContain("not-the-password")
        .doesNotContain("\tat "); // no stack trace
  }

  @Test
  void shouldRunAPythonWorkflowThroughTheSecuredClusterAndRegistry() throws Exception {
    assertThat(PythonWorker.unavailable(Optional.of(PYTHON)))
        .as("a python3 with confluent-kafka, avro and prometheus-client")
        .isEmpty();
    Api api = new Api("http://127.0.0.1:" + gateway.port(), "acct", TOKEN);
    try (PythonWorker python = startPython("py-secured", PASSWORD)) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> api.call("GET", "workflows/py-three-steps", null).status() == 200);

      api.create("py-three-steps", "{\"instance_id\":\"sec-py\",\"params\":{\"value\":2}}");

      JsonNode result = api.awaitStatus("py-three-steps", "sec-py", "complete");
      assertThat(result.path("output").path("value").asInt()).isEqualTo(9);
      assertThat(Files.readString(python.log()))
          .contains("kafka.sasl.password = [hidden]")
          .doesNotContain(PASSWORD);
    }
  }

  @Test
  @Timeout(120)
  void shouldStopAPythonWorkerAtOnceNamingTheSettingsWhenThePasswordIsWrong() throws Exception {
    assertThat(PythonWorker.unavailable(Optional.of(PYTHON))).isEmpty();
    try (PythonWorker python = startPython("py-wrong", "not-the-password")) {
      await().atMost(Duration.ofSeconds(60)).until(() -> !python.isAlive());

      assertThat(Files.readString(python.log()))
          .contains("ferry.worker: Kafka at " + broker.bootstrapServers())
          .contains("refused the credentials")
          .contains("Check kafka.sasl.username, kafka.sasl.password")
          .doesNotContain("not-the-password")
          .doesNotContain("Traceback");
    }
  }

  /** A Python worker of its own group hosting py-three-steps, given librdkafka's settings. */
  private static PythonWorker startPython(String id, String password) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("FERRY_KAFKA_SECURITY_PROTOCOL", SaslSslListener.PROTOCOL);
    env.put("FERRY_KAFKA_SASL_MECHANISM", SaslSslListener.MECHANISM);
    env.put("FERRY_KAFKA_SASL_USERNAME", "ferry");
    env.put("FERRY_KAFKA_SASL_PASSWORD", password);
    env.put("FERRY_KAFKA_SSL_CA_LOCATION", certificate.certificate().toString());
    env.put("FERRY_BASIC_AUTH_USER_INFO", REGISTRY_USER_INFO);
    env.put("FERRY_SCHEMA_REGISTRY_SSL_CA_LOCATION", certificate.certificate().toString());
    env.put("FERRY_WORKER_ADMIN_PORT", "-1");
    return PythonWorker.start(
        PYTHON,
        new PythonWorker.Options(
            "secured-python",
            id,
            List.of("acct"),
            Map.of("py-three-steps", PythonWorker.EXAMPLES.get("py-three-steps")),
            broker.bootstrapServers(),
            "https://127.0.0.1:" + registry.port(),
            env,
            dir.resolve(id + ".log")));
  }

  private static Map<String, Object> registryKeys() {
    Map<String, Object> keys = new HashMap<>();
    for (String key :
        new String[] {
          FerryConfig.SCHEMA_REGISTRY_URL,
          FerryConfig.SCHEMA_REGISTRY_USER_INFO,
          FerryConfig.SCHEMA_REGISTRY_TRUSTSTORE_LOCATION,
          FerryConfig.SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD
        }) {
      keys.put(key, common.get(key));
    }
    return keys;
  }
}
