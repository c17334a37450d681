package dev.ferry.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.schemas.config.KafkaSettings;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.Test;

class KafkaConnectionTest {
  private static final KafkaSettings SECURED =
      KafkaSettings.of(
          "broker:9093",
          Map.of(
              "security.protocol", "SASL_SSL",
              "sasl.mechanism", "SCRAM-SHA-512",
              "sasl.jaas.config", "ScramLoginModule required username=\"u\" password=\"p4ss\";"));

  @Test
  void shouldNameTheCredentialSettingsWhenTheBrokerRefusesThem() {
    String message =
        KafkaConnection.explain(
            new SaslAuthenticationException("Authentication failed: Invalid username or password"),
            SECURED);

    assertThat(message)
        .startsWith(
            "Kafka at broker:9093 (kafka.bootstrap.servers, kafka.security.protocol=SASL_SSL)")
        .contains("refused the credentials: Authentication failed: Invalid username or password")
        .contains("kafka.sasl.jaas.config and kafka.sasl.mechanism=SCRAM-SHA-512")
        .doesNotContain("p4ss");
  }

  @Test
  void shouldNameTheTrustStoreWhenTheTlsHandshakeFails() {
    var failure =
        new SslAuthenticationException(
            "SSL handshake failed", new SSLHandshakeException("PKIX path building failed"));

    assertThat(KafkaConnection.explain(failure, SECURED))
        .contains("failed the TLS handshake: PKIX path building failed")
        .contains("kafka.ssl.truststore.location");
  }

  @Test
  void shouldSuspectTheAddressOrTheProtocolWhenNoBrokerAnswers() {
    assertThat(KafkaConnection.explain(new TimeoutException(), KafkaSettings.of("broker:9093")))
        .startsWith("no broker of Kafka at broker:9093")
        .contains("kafka.security.protocol=PLAINTEXT (not set, Kafka's default)")
        .contains("answered within 30 s")
        .contains("kafka.security.protocol matches the listener");
  }
}
