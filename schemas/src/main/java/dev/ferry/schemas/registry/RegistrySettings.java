package dev.ferry.schemas.registry;

import dev.ferry.schemas.config.StoreFile;
import java.util.Optional;

/**
 * How to reach a schema registry, named as Confluent's clients name it: the {@code
 * schema.registry.url}, HTTP basic auth credentials ({@code basic.auth.user.info}, or in the URL as
 * {@code http://user:password@host}), and for {@code https} a trust store ({@code
 * schema.registry.ssl.truststore.*}) when the registry's certificate is not one the JVM trusts.
 *
 * @param url where the registry is ({@code mock://<scope>} for an in-memory one)
 * @param userInfo {@code user:password} to send, when not in the URL
 * @param trustStore the certificates to trust, instead of the JVM's
 */
public record RegistrySettings(
    String url, Optional<String> userInfo, Optional<StoreFile> trustStore) {
  /** Confluent's name for the credentials. */
  public static final String USER_INFO = "basic.auth.user.info";

  /** Confluent's prefix for the registry client's TLS keys. */
  public static final String TRUSTSTORE_PREFIX = "schema.registry.ssl.truststore.";

  public RegistrySettings {
    userInfo.ifPresent(
        u -> {
          if (!u.contains(":") || u.startsWith(":")) {
            throw new IllegalArgumentException(
                USER_INFO + " must be user:password, got a value without a user or a ':'");
          }
        });
  }

  /** Just the URL (credentials, if any, in it). */
  public static RegistrySettings of(String url) {
    return new RegistrySettings(url, Optional.empty(), Optional.empty());
  }

  @Override
  public String toString() {
    return "RegistrySettings["
        + url.replaceFirst("//[^/@]*@", "//[hidden]@")
        + (userInfo.isPresent() ? ", " + USER_INFO + "=[hidden]" : "")
        + trustStore.map(t -> ", " + t).orElse("")
        + "]";
  }
}
