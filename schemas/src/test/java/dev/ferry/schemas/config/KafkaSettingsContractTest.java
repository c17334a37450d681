package dev.ferry.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link KafkaSettings} against {@code contract/kafka-settings.json}, which Python reads too. */
class KafkaSettingsContractTest {
  private static List<String> list(String field) throws Exception {
    JsonNode contract =
        new ObjectMapper().readTree(Path.of("..", "contract", "kafka-settings.json").toFile());
    List<String> values = new ArrayList<>();
    contract.path(field).forEach(value -> values.add(value.asText()));
    return values;
  }

  @Test
  void shouldRefuseExactlyTheContractsGuardedKeys() throws Exception {
    assertThat(KafkaSettings.GUARDED).containsExactlyInAnyOrderElementsOf(list("guarded"));
  }

  @Test
  void shouldHideTheValuesOfKeysHoldingTheContractsSecretWords() throws Exception {
    assertThat(KafkaSettings.SECRET_WORDS).containsExactlyElementsOf(list("secret_words"));
    assertThat(KafkaSettings.isSecret("sasl.oauthbearer.token.endpoint.url")).isTrue();
    assertThat(KafkaSettings.isSecret("security.protocol")).isFalse();
  }
}
