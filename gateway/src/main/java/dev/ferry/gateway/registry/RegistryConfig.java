package dev.ferry.gateway.registry;

import dev.ferry.schemas.config.FerryConfig;
import dev.ferry.schemas.config.StoreFile;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/** The schema registry's configuration; each key can be set with {@code FERRY_<KEY>}. */
public final class RegistryConfig extends FerryConfig {
  public static final String AUTH_USER_INFO = "registry.auth.user.info";
  public static final String READ_ONLY = "registry.read.only";
  public static final String KEYSTORE_LOCATION = "registry.ssl.keystore.location";
  public static final String KEYSTORE_PASSWORD = "registry.ssl.keystore.password";
  public static final String KEYSTORE_TYPE = "registry.ssl.keystore.type";

  static final ConfigDef DEFINITION =
      withKafkaKey(new ConfigDef())
          .define(
              AUTH_USER_INFO,
              Type.PASSWORD,
              "",
              Importance.HIGH,
              "user:password of the registry's account (Confluent's basic.auth.user.info). When"
                  + " set, every request needs HTTP basic auth with it and may change anything;"
                  + " clients name it in their URL (http://user:password@host:port). When not"
                  + " set, callers are anonymous and may not delete or reconfigure Ferry's own"
                  + " subjects. Never printed.")
          .define(
              READ_ONLY,
              Type.BOOLEAN,
              false,
              Importance.MEDIUM,
              "Refuse every change (new versions, deletions, config and mode): for a registry"
                  + " whose schemas are all registered already.")
          .define(
              KEYSTORE_LOCATION,
              Type.STRING,
              "",
              Importance.MEDIUM,
              "Key store with the registry's key and certificate: when set, it answers HTTPS"
                  + " only (clients trust it with schema.registry.ssl.truststore.location).")
          .define(
              KEYSTORE_PASSWORD,
              Type.PASSWORD,
              "",
              Importance.MEDIUM,
              "Password of registry.ssl.keystore.location. Never printed.")
          .define(
              KEYSTORE_TYPE,
              Type.STRING,
              "PKCS12",
              ConfigDef.ValidString.in(StoreFile.TYPES),
              Importance.LOW,
              "Type of registry.ssl.keystore.location: PKCS12 or JKS.");

  public RegistryConfig(Map<String, ?> overrides, Map<String, String> env) {
    super(DEFINITION, overrides, env);
  }

  public static RegistryConfig fromEnv(Map<String, ?> overrides) {
    return new RegistryConfig(overrides, System.getenv());
  }

  /** The {@code user:password} callers must present, if any. */
  public Optional<String> userInfo() {
    String value = getPassword(AUTH_USER_INFO).value();
    if (value.isBlank()) {
      return Optional.empty();
    }
    if (!value.contains(":") || value.startsWith(":")) {
      throw new IllegalArgumentException(
          AUTH_USER_INFO + " must be user:password, got a value without a user or a ':'");
    }
    return Optional.of(value);
  }

  /** The key store to serve HTTPS with, if any. */
  public Optional<StoreFile> keyStore() {
    String location = getString(KEYSTORE_LOCATION);
    return location.isBlank()
        ? Optional.empty()
        : Optional.of(
            new StoreFile(
                KEYSTORE_LOCATION,
                Path.of(location),
                getPassword(KEYSTORE_PASSWORD).value(),
                getString(KEYSTORE_TYPE)));
  }

  public boolean readOnly() {
    return getBoolean(READ_ONLY);
  }

  public static ConfigDef definition() {
    return DEFINITION;
  }
}
