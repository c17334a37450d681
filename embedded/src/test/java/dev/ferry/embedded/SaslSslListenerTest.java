package dev.ferry.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SaslSslListenerTest {
  @TempDir static Path dir;
  static SaslSslListener listener;
  static EmbeddedKafkaBroker broker;

  @BeforeAll
  static void start() {
    SelfSignedCertificate certificate =
        SelfSignedCertificate.create(dir.resolve("tls"), "store-secret");
    listener =
        new SaslSslListener(
            certificate.keyStore(),
            certificate.trustStore(),
            certificate.password(),
            Map.of("ferry", "ferry-secret"));
    broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0, listener);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void shouldServeAClientWithTheRightPasswordOverTls() throws Exception {
    try (Admin admin = Admin.create(config(listener.clientSettings("ferry")))) {
      admin.createTopics(List.of(new NewTopic("secured", 1, (short) 1))).all().get();
      assertThat(admin.listTopics().names().get()).contains("secured");
    }
  }

  @Test
  void shouldRefuseAWrongPassword() {
    try (Admin admin = Admin.create(config(listener.clientSettings("ferry", "wrong")))) {
      assertThatThrownBy(() -> admin.listTopics().names().get())
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(SaslAuthenticationException.class)
          .hasMessageContaining("Invalid username or password");
    }
  }

  @Test
  void shouldRefuseAClientThatDoesNotTrustItsCertificate() {
    Map<String, String> settings = new HashMap<>(listener.clientSettings("ferry"));
    settings.remove("ssl.truststore.location");
    settings.remove("ssl.truststore.password");
    settings.remove("ssl.truststore.type");
    try (Admin admin = Admin.create(config(settings))) {
      assertThatThrownBy(() -> admin.listTopics().names().get())
          .cause()
          .isInstanceOf(SslAuthenticationException.class);
    }
  }

  private static Map<String, Object> config(Map<String, String> settings) {
    Map<String, Object> config = new HashMap<>(settings);
    config.put("bootstrap.servers", broker.bootstrapServers());
    return config;
  }
}
