package dev.ferry.standalone;

import dev.ferry.gateway.GatewayConfig;
import dev.ferry.gateway.registry.RegistryConfig;
import dev.ferry.orchestrator.OrchestratorConfig;
import dev.ferry.schemas.config.FerryConfig;
import dev.ferry.schemas.config.KafkaSettings;
import dev.ferry.worker.WorkerConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;

/**
 * The configuration reference (docs/configuration.md), written from the definitions the parts read
 * their configuration with, so it cannot drift from the code: {@code ./ferry config} prints it and
 * a test checks the file against it.
 */
final class ConfigReference {
  /** Where the reference is kept in the repository. */
  static final String FILE = "docs/configuration.md";

  private ConfigReference() {}

  private static Map<String, ConfigDef> parts() {
    Map<String, ConfigDef> parts = new LinkedHashMap<>();
    parts.put("orchestrator", OrchestratorConfig.definition());
    parts.put("worker", WorkerConfig.definition());
    parts.put("gateway", GatewayConfig.definition());
    parts.put("registry", RegistryConfig.definition());
    return parts;
  }

  static String render() {
    StringBuilder out = new StringBuilder();
    out.append("# Configuration reference\n\n")
        .append("<!-- Written by `./ferry config > ")
        .append(FILE)
        .append(
            "` from the code's own definitions; ConfigReferenceTest fails when it is stale."
                + " -->\n\n")
        .append(
            "Each part (`./ferry orchestrator`, `worker`, `gateway`, `registry`) reads a key"
                + " from, first to last: its `--config <file>` (a Java properties file), the"
                + " environment variable `FERRY_<KEY>` (upper case, dots and dashes as"
                + " underscores), the default. A `--config` file naming a key the part does not"
                + " know is refused. Passwords and tokens are never printed: a part logs its"
                + " configuration at start with them hidden.\n\n")
        .append("## Keys\n\n")
        .append("| key | environment variable | default | used by | meaning |\n")
        .append("|---|---|---|---|---|\n");
    Map<String, ConfigDef> parts = parts();
    Set<String> printed = new TreeSet<>();
    parts
        .values()
        .forEach(
            definition ->
                definition.configKeys().values().stream()
                    .sorted((a, b) -> a.name.compareTo(b.name))
                    .filter(key -> printed.add(key.name))
                    .forEach(
                        key ->
                            out.append(
                                String.format(
                                    "| `%s` | `%s` | %s | %s | %s |%n",
                                    key.name,
                                    FerryConfig.envName(key.name),
                                    defaultOf(key),
                                    usedBy(key.name, parts),
                                    cell(key.documentation)))));
    out.append("\n## Kafka client settings\n\n")
        .append(
            "Every Kafka client a part creates (Kafka Streams, producers, consumers, admin"
                + " clients: the orchestrator with its triggers and cron scheduler, Java workers, the"
                + " gateway, the registry, `./ferry kafka tail`) also takes any client or Streams"
                + " setting, named as Kafka names it and prefixed with `")
        .append(KafkaSettings.PREFIX)
        .append("`: `kafka.security.protocol=SASL_SSL` in the `--config` file, or")
        .append(" `FERRY_KAFKA_SECURITY_PROTOCOL=SASL_SSL` in the environment (the key upper")
        .append(
            " case, dots as underscores). A setting passed this way wins over Ferry's own client")
        .append(" defaults (`kafka.num.standby.replicas`, `kafka.replication.factor`,")
        .append(" `kafka.client.dns.lookup`, `kafka.sasl.*`, `kafka.ssl.*`). Python workers take")
        .append(" `FERRY_KAFKA_<KEY>` variables too, as librdkafka names its settings")
        .append(" (python/README.md).\n\n")
        .append("Values of settings Kafka declares passwords (`sasl.jaas.config`,")
        .append(" `ssl.*.password`), and of keys whose names say secret, password, token, jaas,")
        .append(
            " credential or user.info, are shown as `[hidden]` in the logged configuration.\n\n")
        .append("These keys are refused, naming the key, because Ferry sets them itself and its")
        .append(" guarantees (exactly-once, ordering, routing) depend on their values:\n\n");
    new TreeSet<>(KafkaSettings.GUARDED)
        .stream()
            // kafka.bootstrap.servers is Ferry's own key (above), never a pass-through one
            .filter(
                key -> !(KafkaSettings.PREFIX + key).equals(FerryConfig.KAFKA_BOOTSTRAP_SERVERS))
            .forEach(
                key -> out.append("- `").append(KafkaSettings.PREFIX).append(key).append("`\n"));
    out.append("\nA part that cannot reach Kafka as configured stops at start within ")
        .append(dev.ferry.schemas.KafkaConnection.TIMEOUT.toSeconds())
        .append(" s, in one line naming what to check: refused credentials")
        .append(" (`kafka.sasl.jaas.config`, `kafka.sasl.mechanism`), a failed TLS handshake")
        .append(" (`kafka.ssl.truststore.location`), or no broker answering (the address, or a")
        .append(" `kafka.security.protocol` that does not match the listener).\n");
    return out.toString();
  }

  private static String defaultOf(ConfigDef.ConfigKey key) {
    Object value = key.defaultValue;
    if (value == null
        || value == ConfigDef.NO_DEFAULT_VALUE
        || (value instanceof Password password && password.value().isEmpty())
        || String.valueOf(value).isEmpty()) {
      return "(none)";
    }
    if (value instanceof List<?> list) {
      return "`" + String.join(",", list.stream().map(String::valueOf).toList()) + "`";
    }
    return "`" + value + "`";
  }

  private static String usedBy(String key, Map<String, ConfigDef> parts) {
    return String.join(
        ", ",
        parts.entrySet().stream()
            .filter(e -> e.getValue().names().contains(key))
            .map(Map.Entry::getKey)
            .toList());
  }

  /** A table cell: a pipe would end it. */
  private static String cell(String text) {
    return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
  }
}
