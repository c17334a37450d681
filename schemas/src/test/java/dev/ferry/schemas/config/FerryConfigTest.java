package dev.ferry.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.schemas.registry.HttpSchemaRegistryClient;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class FerryConfigTest {
  private static final class Sample extends FerryConfig {
    Sample(Map<String, ?> overrides) {
      this(overrides, Map.of());
    }

    Sample(Map<String, ?> overrides, Map<String, String> env) {
      super(withCommonKeys(new ConfigDef()), overrides, env);
    }
  }

  @Test
  void shouldPassKafkaClientSettingsFromOverridesAndTheEnvironmentToEveryClient() {
    Sample config =
        new Sample(
            Map.of("kafka.sasl.mechanism", "SCRAM-SHA-512", "kafka.bootstrap.servers", "b:9093"),
            Map.of(
                "FERRY_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "FERRY_KAFKA_SASL_MECHANISM", "PLAIN",
                "FERRY_KAFKA_CLIENT_DNS_LOOKUP", "use_all_dns_ips",
                "FERRY_TOPIC_PREFIX", "t."));

    Map<String, Object> producer =
        config.kafka().clientConfig(Map.of("linger.ms", 0, "acks", "all"));

    assertThat(config.kafka().passThrough())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512", // the override wins over the environment
                "client.dns.lookup", "use_all_dns_ips"));
    assertThat(producer)
        .containsEntry("bootstrap.servers", "b:9093")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("acks", "all")
        .containsEntry("linger.ms", 0);
    assertThat(config.topicPrefix()).isEqualTo("t.");
  }

  @Test
  void shouldLetAPassedSettingTuneAClientButRefuseTheKeysFerrysGuaranteesDependOn() {
    Sample tuned = new Sample(Map.of("kafka.linger.ms", "5"));

    assertThat(tuned.kafka().clientConfig(Map.of("linger.ms", 0))).containsEntry("linger.ms", "5");
    assertThatThrownBy(
            () -> new Sample(Map.of(), Map.of("FERRY_KAFKA_ISOLATION_LEVEL", "read_uncommitted")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.isolation.level cannot be set");
    assertThatThrownBy(() -> new Sample(Map.of("kafka.enable.idempotence", "false")))
        .hasMessageContaining("kafka.enable.idempotence cannot be set");
  }

  @Test
  void shouldNeverPrintAPassedSecret() {
    String jaas =
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"ferry\""
            + " password=\"s3cret\";";
    Sample config =
        new Sample(
            Map.of(
                "kafka.sasl.jaas.config", jaas,
                "kafka.ssl.truststore.password", "changeit",
                "kafka.ssl.truststore.location", "/etc/ferry/trust.p12"));

    String described = config.describe();

    assertThat(described)
        .contains("kafka.sasl.jaas.config = [hidden]")
        .contains("kafka.ssl.truststore.password = [hidden]")
        .contains("kafka.ssl.truststore.location = /etc/ferry/trust.p12")
        .doesNotContain("s3cret")
        .doesNotContain("changeit");
    assertThat(config.kafka().toString()).doesNotContain("s3cret");
  }

  @Test
  void shouldHideCredentialsInTheRegistryUrlWhenDescribed() {
    String url = HttpSchemaRegistryClient.withCredentials("http://127.0.0.1:8081", "ops:p@ss/w:rd");

    String described = new Sample(Map.of(FerryConfig.SCHEMA_REGISTRY_URL, url)).describe();

    assertThat(url).startsWith("http://ops:p%40ss%2Fw%3Ard@127.0.0.1:8081");
    assertThat(described)
        .contains("schema.registry.url = http://ops:[hidden]@127.0.0.1:8081")
        .doesNotContain("p%40ss");
  }
}
