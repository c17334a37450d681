package dev.ferry.standalone;

import dev.ferry.schemas.config.KafkaSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.config.ConfigDef;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --config <file>}: a Java properties file of Ferry keys ({@code ferry config} lists them)
 * and Kafka client settings as {@code kafka.<key>} ({@code kafka.security.protocol=SASL_SSL}). Its
 * values win over {@code FERRY_*} environment variables.
 */
final class ConfigFileOption {
  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
  CommandLine.Model.CommandSpec command;

  @Option(
      names = "--config",
      paramLabel = "<file>",
      description =
          "A properties file of settings (see ./ferry config) and Kafka client settings as"
              + " kafka.<key>, e.g. kafka.security.protocol=SASL_SSL; it wins over FERRY_*"
              + " variables.")
  Path file;

  /** The file's settings, checked against {@code definition}; empty without --config. */
  Map<String, Object> overrides(ConfigDef definition) {
    Map<String, Object> out = new HashMap<>();
    if (file == null) {
      return out;
    }
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      properties.load(in);
    } catch (IOException e) {
      throw usage("--config " + file + ": cannot read it: " + e.getMessage());
    }
    Set<String> unknown = new TreeSet<>();
    for (String key : properties.stringPropertyNames()) {
      if (!definition.names().contains(key) && !key.startsWith(KafkaSettings.PREFIX)) {
        unknown.add(key);
      }
      out.put(key, properties.getProperty(key).strip());
    }
    if (!unknown.isEmpty()) {
      throw usage(
          "--config "
              + file
              + ": unknown keys "
              + unknown
              + " (./ferry config lists this part's keys; Kafka client settings are kafka.<key>)");
    }
    return out;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(command.commandLine(), message);
  }
}
