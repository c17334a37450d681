package dev.ferry.schemas.config;

import dev.ferry.schemas.Replication;
import dev.ferry.schemas.registry.RegistrySettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Base of every deployable's typed configuration. Each key is declared once with its type, default,
 * validator and documentation (Kafka's {@link ConfigDef}); a value comes from, in order of
 * precedence, an explicit override, the environment variable {@code FERRY_<KEY>} (dots and dashes
 * become underscores, e.g. {@code FERRY_KAFKA_BOOTSTRAP_SERVERS}), or the default.
 *
 * <p>Besides its declared keys, every deployable takes Kafka client settings as {@code
 * kafka.<client key>} (overrides) or {@code FERRY_KAFKA_<CLIENT_KEY>} (environment), passed to each
 * Kafka client it creates: {@link #kafka()}.
 */
public abstract class FerryConfig extends AbstractConfig {
  public static final String KAFKA_BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
  public static final String SCHEMA_REGISTRY_USER_INFO = RegistrySettings.USER_INFO;
  public static final String SCHEMA_REGISTRY_TRUSTSTORE_LOCATION =
      RegistrySettings.TRUSTSTORE_PREFIX + "location";
  public static final String SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD =
      RegistrySettings.TRUSTSTORE_PREFIX + "password";
  public static final String SCHEMA_REGISTRY_TRUSTSTORE_TYPE =
      RegistrySettings.TRUSTSTORE_PREFIX + "type";
  public static final String TOPIC_PREFIX = "topic.prefix";
  public static final String TOPIC_PARTITIONS = "topic.partitions";
  public static final String TOPIC_REPLICATION_FACTOR = "topic.replication.factor";
  public static final String TOPIC_HISTORY_RETENTION_MS = "topic.history.retention.ms";

  private final KafkaSettings kafka;

  protected FerryConfig(ConfigDef definition, Map<String, ?> overrides, Map<String, String> env) {
    super(definition, resolve(definition, overrides, env), false);
    Map<String, String> passThrough = new TreeMap<>();
    originalsWithPrefix(KafkaSettings.PREFIX)
        .forEach(
            (key, value) -> {
              if (!definition.names().contains(KafkaSettings.PREFIX + key)) {
                passThrough.put(key, String.valueOf(value));
              }
            });
    this.kafka = KafkaSettings.of(getString(KAFKA_BOOTSTRAP_SERVERS), passThrough);
  }

  /** Adds the keys every deployable shares: where Kafka and the registry are, topic layout. */
  protected static ConfigDef withCommonKeys(ConfigDef def) {
    return withKafkaKey(def)
        .define(
            SCHEMA_REGISTRY_URL,
            Type.STRING,
            "http://127.0.0.1:8081",
            new ConfigDef.NonEmptyString(),
            Importance.HIGH,
            "Confluent-compatible Schema Registry URL; mock://<scope> for an in-memory registry."
                + " Credentials may be in it (http://user:password@host:8081, percent-encoded).")
        .define(
            SCHEMA_REGISTRY_USER_INFO,
            Type.PASSWORD,
            "",
            Importance.MEDIUM,
            "user:password sent to the schema registry as HTTP basic auth (Confluent's"
                + " basic.auth.user.info; over credentials in the URL). Never printed.")
        .define(
            SCHEMA_REGISTRY_TRUSTSTORE_LOCATION,
            Type.STRING,
            "",
            Importance.MEDIUM,
            "Trust store of the certificates an https schema registry is trusted by, when the"
                + " JVM's own do not (a private CA, a self-signed certificate).")
        .define(
            SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD,
            Type.PASSWORD,
            "",
            Importance.LOW,
            "Password of schema.registry.ssl.truststore.location.")
        .define(
            SCHEMA_REGISTRY_TRUSTSTORE_TYPE,
            Type.STRING,
            "PKCS12",
            ConfigDef.ValidString.in(StoreFile.TYPES),
            Importance.LOW,
            "Type of schema.registry.ssl.truststore.location: PKCS12 or JKS.")
        .define(
            TOPIC_PREFIX,
            Type.STRING,
            "workflows.",
            Importance.MEDIUM,
            "Prefix of every Ferry topic name, e.g. 'workflows.' gives 'workflows.commands'.")
        .define(
            TOPIC_PARTITIONS,
            Type.INT,
            4,
            ConfigDef.Range.between(1, 10_000),
            Importance.MEDIUM,
            "Partitions of each per-instance topic when Ferry creates it (all must match).")
        .define(
            TOPIC_REPLICATION_FACTOR,
            Type.SHORT,
            Replication.FROM_CLUSTER,
            (name, value) -> {
              short factor = (Short) value;
              if (factor != Replication.FROM_CLUSTER && (factor < 1 || factor > 32)) {
                throw new org.apache.kafka.common.config.ConfigException(
                    name, value, "must be 1..32, or -1 to decide from the cluster");
              }
            },
            Importance.MEDIUM,
            "Replication factor of topics Ferry creates (its own, Kafka Streams', trigger"
                + " sources); -1: 3 with min.insync.replicas 2 on a cluster of 3 brokers or more,"
                + " else one copy per broker (said at start).")
        .define(
            TOPIC_HISTORY_RETENTION_MS,
            Type.LONG,
            90L * 24 * 60 * 60 * 1000,
            ConfigDef.Range.atLeast(60_000),
            Importance.MEDIUM,
            "retention.ms of the history topic when Ferry creates it: step details are shown for"
                + " as long as their events are kept (90 days), so keep it above the longest"
                + " instance lifetime plus its retention.");
  }

  /** Adds only where Kafka is: for a part that needs no registry and no topic layout. */
  protected static ConfigDef withKafkaKey(ConfigDef def) {
    return def.define(
        KAFKA_BOOTSTRAP_SERVERS,
        Type.STRING,
        "127.0.0.1:9092",
        new ConfigDef.NonEmptyString(),
        Importance.HIGH,
        "Kafka bootstrap servers (host:port,...).");
  }

  /**
   * Adds a consumer session timeout key (default 10 s instead of Kafka's 45 s): how soon the
   * partitions of a crashed process move to another one. {@code moves} says what moves.
   */
  protected static ConfigDef withSessionTimeout(ConfigDef def, String key, String moves) {
    return def.define(
        key,
        Type.INT,
        10_000,
        ConfigDef.Range.between(1_000, 300_000),
        Importance.LOW,
        "Consumer session timeout: how soon " + moves + " to another process.");
  }

  /**
   * Adds the admin port keys of a part without an HTTP API of its own ({@code <part>.admin.host},
   * {@code <part>.admin.port}): where it serves /metrics, /livez and /readyz. Port 0 takes any free
   * port (logged), -1 serves none.
   */
  protected static ConfigDef withAdminKeys(ConfigDef def, String part, int defaultPort) {
    return def.define(
            adminHostKey(part),
            Type.STRING,
            "127.0.0.1",
            new ConfigDef.NonEmptyString(),
            Importance.MEDIUM,
            "Address of the " + part + "'s admin port (0.0.0.0 to be scraped from other hosts).")
        .define(
            adminPortKey(part),
            Type.INT,
            defaultPort,
            ConfigDef.Range.between(-1, 65_535),
            Importance.MEDIUM,
            "The "
                + part
                + "'s admin port: /metrics (Prometheus), /livez, /readyz. 0 = any free port"
                + " (logged), -1 = none.");
  }

  public static String adminHostKey(String part) {
    return part + ".admin.host";
  }

  public static String adminPortKey(String part) {
    return part + ".admin.port";
  }

  /** {@code http://user:secret@host} becomes {@code http://user:[hidden]@host}. */
  static String hideUrlCredentials(String value) {
    return value.replaceAll("(://[^/@:\\s]*):[^/@\\s]*@", "$1:[hidden]@");
  }

  /** The environment variable that overrides a key. */
  public static String envName(String key) {
    return "FERRY_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  static Map<String, Object> resolve(
      ConfigDef definition, Map<String, ?> overrides, Map<String, String> env) {
    Map<String, Object> values = new HashMap<>();
    for (String key : definition.names()) {
      String fromEnv = env.get(envName(key));
      if (fromEnv != null) {
        values.put(key, fromEnv);
      }
    }
    KafkaSettings.fromEnvironment(env)
        .forEach((key, value) -> values.put(KafkaSettings.PREFIX + key, value));
    values.putAll(overrides);
    return values;
  }

  public String bootstrapServers() {
    return getString(KAFKA_BOOTSTRAP_SERVERS);
  }

  /** Where Kafka is, with the client settings passed to every Kafka client. */
  public KafkaSettings kafka() {
    return kafka;
  }

  public String schemaRegistryUrl() {
    return getString(SCHEMA_REGISTRY_URL);
  }

  /**
   * The registry settings of a tool without a configuration of its own ({@code ferry kafka tail}):
   * {@code url}, with credentials and trust store from the same {@code FERRY_*} variables every
   * part reads.
   */
  public static RegistrySettings registrySettings(String url, Map<String, String> env) {
    Optional<String> userInfo =
        Optional.ofNullable(env.get(envName(SCHEMA_REGISTRY_USER_INFO))).filter(v -> !v.isEmpty());
    Optional<StoreFile> trustStore =
        Optional.ofNullable(env.get(envName(SCHEMA_REGISTRY_TRUSTSTORE_LOCATION)))
            .filter(v -> !v.isEmpty())
            .map(
                location ->
                    new StoreFile(
                        SCHEMA_REGISTRY_TRUSTSTORE_LOCATION,
                        Path.of(location),
                        env.getOrDefault(envName(SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD), ""),
                        env.getOrDefault(envName(SCHEMA_REGISTRY_TRUSTSTORE_TYPE), "PKCS12")));
    return new RegistrySettings(url, userInfo, trustStore);
  }

  /** How to reach the schema registry: its URL, credentials and trust store. */
  public RegistrySettings registrySettings() {
    String userInfo = getPassword(SCHEMA_REGISTRY_USER_INFO).value();
    String trustStore = getString(SCHEMA_REGISTRY_TRUSTSTORE_LOCATION);
    return new RegistrySettings(
        schemaRegistryUrl(),
        userInfo.isEmpty() ? Optional.empty() : Optional.of(userInfo),
        trustStore.isEmpty()
            ? Optional.empty()
            : Optional.of(
                new StoreFile(
                    SCHEMA_REGISTRY_TRUSTSTORE_LOCATION,
                    Path.of(trustStore),
                    getPassword(SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD).value(),
                    getString(SCHEMA_REGISTRY_TRUSTSTORE_TYPE))));
  }

  public String topicPrefix() {
    return getString(TOPIC_PREFIX);
  }

  public int topicPartitions() {
    return getInt(TOPIC_PARTITIONS);
  }

  public long historyRetentionMs() {
    return getLong(TOPIC_HISTORY_RETENTION_MS);
  }

  public short topicReplicationFactor() {
    return getShort(TOPIC_REPLICATION_FACTOR);
  }

  /**
   * One line per key, sorted, passwords and credentials in URLs hidden: what a deployable prints at
   * startup.
   */
  public String describe() {
    StringBuilder out = new StringBuilder();
    Map<String, Object> sorted = new TreeMap<>(values());
    sorted.forEach(
        (key, value) ->
            out.append("  ")
                .append(key)
                .append(" = ")
                .append(value == null ? "" : hideUrlCredentials(String.valueOf(value)))
                .append(System.lineSeparator()));
    return out.append(kafka.describe()).toString();
  }
}
