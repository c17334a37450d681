package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.orchestrator.OrchestratorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConfigFileOptionTest {
  @CommandLine.Command(name = "part")
  static final class Part implements Runnable {
    @CommandLine.Mixin ConfigFileOption settings;

    @Override
    public void run() {}
  }

  private static ConfigFileOption parsed(String... args) {
    Part part = new Part();
    new CommandLine(part).parseArgs(args);
    return part.settings;
  }

  @Test
  void shouldReadFerryKeysAndKafkaClientSettingsThatWinOverTheEnvironment(@TempDir Path dir)
      throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("ferry.properties"),
            """
            # a secured cluster
            kafka.bootstrap.servers=broker-1:9093
            kafka.security.protocol=SASL_SSL
            kafka.sasl.mechanism = PLAIN
            topic.prefix=prod.
            """);

    Map<String, Object> overrides =
        parsed("--config", file.toString()).overrides(OrchestratorConfig.definition());
    OrchestratorConfig config =
        new OrchestratorConfig(overrides, Map.of("FERRY_TOPIC_PREFIX", "env."));

    assertThat(config.topicPrefix()).isEqualTo("prod.");
    assertThat(config.kafka().bootstrapServers()).isEqualTo("broker-1:9093");
    assertThat(config.kafka().passThrough())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "PLAIN");
  }

  @Test
  void shouldRefuseKeysThatAreNeitherFerrysNorKafkasNamingThem(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("bad.properties"), "topic.prefx=x\nkafka.acks=1\n");
    ConfigFileOption option = parsed("--config", file.toString());

    assertThatThrownBy(() -> option.overrides(OrchestratorConfig.definition()))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("unknown keys [topic.prefx]")
        .hasMessageContaining("./ferry config");
    assertThatThrownBy(
            () ->
                parsed("--config", dir.resolve("missing").toString())
                    .overrides(OrchestratorConfig.definition()))
        .hasMessageContaining("cannot read it");
  }

  @Test
  void shouldGiveNothingWithoutTheOption() {
    assertThat(parsed().overrides(OrchestratorConfig.definition())).isEmpty();
  }
}
