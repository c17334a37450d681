package dev.ferry.schemas.config;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Where Kafka is and how to reach it: the bootstrap servers, and client settings passed unchanged
 * to every Kafka client Ferry creates (Kafka Streams, producers, consumers, admin clients), named
 * as Kafka names them: {@code security.protocol}, {@code sasl.*}, {@code ssl.*}, {@code
 * client.dns.lookup}, or any other client or Streams key ({@code num.standby.replicas}). They are
 * set as {@code kafka.<key>}: in a {@code --config} properties file, or as {@code
 * FERRY_KAFKA_<KEY>} (the key upper-cased, dots as underscores).
 *
 * <p>Over Ferry's own client defaults a passed setting wins, except for the {@link #GUARDED} keys
 * that Ferry's guarantees depend on: setting one of those is refused.
 */
public final class KafkaSettings {
  /** How pass-through keys are named in Ferry's configuration. */
  public static final String PREFIX = "kafka.";

  /**
   * Keys Ferry sets itself because exactly-once, ordering or routing depend on them: a cluster's
   * settings never need them, and another value would break a guarantee.
   */
  public static final Set<String> GUARDED =
      Set.of(
          "bootstrap.servers", // Ferry's typed kafka.bootstrap.servers
          "acks",
          "enable.idempotence",
          "transactional.id",
          "isolation.level",
          "enable.auto.commit",
          "group.id",
          "application.id",
          "processing.guarantee",
          "key.serializer",
          "value.serializer",
          "key.deserializer",
          "value.deserializer",
          "partitioner.class",
          "partitioner"); // librdkafka's name for it (Python workers)

  private static final String HIDDEN = "[hidden]";

  private final String bootstrapServers;
  private final Map<String, String> passThrough;

  private KafkaSettings(String bootstrapServers, Map<String, String> passThrough) {
    this.bootstrapServers = bootstrapServers;
    this.passThrough = Collections.unmodifiableMap(new TreeMap<>(passThrough));
  }

  /** A plain connection: nothing but where the brokers are. */
  public static KafkaSettings of(String bootstrapServers) {
    return new KafkaSettings(bootstrapServers, Map.of());
  }

  /**
   * With these client settings (keys without the {@code kafka.} prefix); fails naming a {@link
   * #GUARDED} key.
   */
  public static KafkaSettings of(String bootstrapServers, Map<String, String> passThrough) {
    for (String key : passThrough.keySet()) {
      if (GUARDED.contains(key)) {
        throw new ConfigException(
            PREFIX
                + key
                + " cannot be set: Ferry sets "
                + key
                + " itself, and its guarantees depend on it"
                + (key.equals("bootstrap.servers")
                    ? ""
                    : " (set only connection and tuning keys)"));
      }
    }
    return new KafkaSettings(bootstrapServers, passThrough);
  }

  /**
   * The pass-through settings in environment variables: {@code FERRY_KAFKA_SECURITY_PROTOCOL} gives
   * {@code security.protocol} (Kafka's keys are dotted lower case). {@code
   * FERRY_KAFKA_BOOTSTRAP_SERVERS} is Ferry's own key, not one of them.
   */
  public static Map<String, String> fromEnvironment(Map<String, String> env) {
    String prefix = FerryConfig.envName(PREFIX);
    Map<String, String> found = new TreeMap<>();
    env.forEach(
        (name, value) -> {
          if (name.startsWith(prefix) && name.length() > prefix.length()) {
            String key = name.substring(prefix.length()).toLowerCase(Locale.ROOT).replace('_', '.');
            if (!key.equals(FerryConfig.KAFKA_BOOTSTRAP_SERVERS.substring(PREFIX.length()))) {
              found.put(key, value);
            }
          }
        });
    return found;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The passed client settings, by Kafka's key names, sorted. */
  public Map<String, String> passThrough() {
    return passThrough;
  }

  /**
   * A client's configuration: Ferry's settings for it ({@code ferry}), the passed ones over them,
   * and the bootstrap servers.
   */
  public Map<String, Object> clientConfig(Map<String, Object> ferry) {
    Map<String, Object> config = new HashMap<>(ferry);
    config.putAll(passThrough);
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return config;
  }

  /** A configuration with nothing of Ferry's own: for admin clients and one-off readers. */
  public Map<String, Object> clientConfig() {
    return clientConfig(Map.of());
  }

  /** The passed settings as {@code kafka.<key> = value} lines, secrets hidden: for startup logs. */
  public String describe() {
    StringBuilder out = new StringBuilder();
    passThrough.forEach(
        (key, value) ->
            out.append("  ")
                .append(PREFIX)
                .append(key)
                .append(" = ")
                .append(isSecret(key) ? HIDDEN : value)
                .append(System.lineSeparator()));
    return out.toString();
  }

  /**
   * Whether a client key holds a secret: Kafka's clients declare it a password ({@code
   * sasl.jaas.config}, {@code ssl.*.password}), or its name says so.
   */
  public static boolean isSecret(String key) {
    for (ConfigDef def : CLIENT_DEFINITIONS) {
      ConfigDef.ConfigKey declared = def.configKeys().get(key);
      if (declared != null && declared.type == ConfigDef.Type.PASSWORD) {
        return true;
      }
    }
    String lower = key.toLowerCase(Locale.ROOT);
    return SECRET_WORDS.stream().anyMatch(lower::contains);
  }

  /** A key holding one of these words is taken for a secret (the Python worker's rule too). */
  public static final List<String> SECRET_WORDS =
      List.of("password", "secret", "jaas", "token", "user.info", "credential");

  private static final ConfigDef[] CLIENT_DEFINITIONS = {
    ProducerConfig.configDef(), ConsumerConfig.configDef(), AdminClientConfig.configDef()
  };

  @Override
  public boolean equals(Object other) {
    return other instanceof KafkaSettings that
        && bootstrapServers.equals(that.bootstrapServers)
        && passThrough.equals(that.passThrough);
  }

  @Override
  public int hashCode() {
    return bootstrapServers.hashCode() * 31 + passThrough.hashCode();
  }

  @Override
  public String toString() {
    return "KafkaSettings[" + bootstrapServers + ", " + passThrough.keySet() + "]";
  }
}
