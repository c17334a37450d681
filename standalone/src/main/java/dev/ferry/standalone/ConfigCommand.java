package dev.ferry.standalone;

import dev.ferry.gateway.GatewayConfig;
import dev.ferry.gateway.registry.RegistryConfig;
import dev.ferry.orchestrator.OrchestratorConfig;
import dev.ferry.schemas.config.FerryConfig;
import dev.ferry.worker.WorkerConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.config.ConfigDef;
import picocli.CommandLine.Command;

/** {@code ferry config}: every configuration key, read from the same definitions the code uses. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description =
        "List every configuration key with its environment variable, default and meaning.")
final class ConfigCommand implements Runnable {

  @Override
  public void run() {
    Map<String, ConfigDef> parts = new LinkedHashMap<>();
    parts.put("orchestrator", OrchestratorConfig.definition());
    parts.put("worker", WorkerConfig.definition());
    parts.put("gateway", GatewayConfig.definition());
    parts.put("registry", RegistryConfig.definition());
    Set<String> printed = new TreeSet<>();
    System.out.println("| key | environment variable | default | used by | meaning |");
    System.out.println("|---|---|---|---|---|");
    parts.forEach(
        (part, definition) ->
            definition.configKeys().values().stream()
                .sorted((a, b) -> a.name.compareTo(b.name))
                .filter(key -> printed.add(key.name))
                .forEach(
                    key ->
                        System.out.printf(
                            "| `%s` | `%s` | `%s` | %s | %s |%n",
                            key.name,
                            FerryConfig.envName(key.name),
                            key.defaultValue,
                            usedBy(key.name, parts),
                            key.documentation)));
  }

  private static String usedBy(String key, Map<String, ConfigDef> parts) {
    return String.join(
        ", ",
        parts.entrySet().stream()
            .filter(e -> e.getValue().names().contains(key))
            .map(Map.Entry::getKey)
            .toList());
  }
}
