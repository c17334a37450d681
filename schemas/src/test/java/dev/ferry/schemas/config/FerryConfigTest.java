package dev.ferry.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.schemas.registry.HttpSchemaRegistryClient;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

class FerryConfigTest {
  private static final class Sample extends FerryConfig {
    Sample(Map<String, ?> overrides) {
      super(withCommonKeys(new ConfigDef()), overrides, Map.of());
    }
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
