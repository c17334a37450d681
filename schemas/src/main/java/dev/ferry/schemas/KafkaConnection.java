package dev.ferry.schemas;

import dev.ferry.schemas.config.FerryConfig;
import dev.ferry.schemas.config.KafkaSettings;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * The first thing every Ferry part does with Kafka: ask the cluster for its brokers, within {@link
 * #TIMEOUT}, and turn what can go wrong (nothing answers, TLS fails, credentials are refused) into
 * one clear {@link KafkaConnectionException} naming the settings to check — instead of a client
 * retrying forever in the background while the part seems to hang.
 */
public final class KafkaConnection {
  /** How long a part waits for a broker to answer at start. */
  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  private KafkaConnection() {}

  /** Connects once and returns how many brokers the cluster has. */
  public static int check(KafkaSettings kafka) {
    try (Admin admin = KafkaClients.admin(kafka)) {
      return brokers(admin, kafka);
    }
  }

  /** The number of brokers, asked through {@code admin}, which was made from {@code kafka}. */
  public static int brokers(Admin admin, KafkaSettings kafka) {
    try {
      return admin.describeCluster().nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while connecting to Kafka", e);
    } catch (ExecutionException e) {
      throw new KafkaConnectionException(explain(e.getCause(), kafka), e.getCause());
    } catch (TimeoutException e) {
      throw new KafkaConnectionException(explain(e, kafka), e);
    }
  }

  /** What went wrong connecting to {@code kafka}, and what to check: pure, for tests. */
  static String explain(Throwable failure, KafkaSettings kafka) {
    String where =
        "Kafka at "
            + kafka.bootstrapServers()
            + " ("
            + FerryConfig.KAFKA_BOOTSTRAP_SERVERS
            + ", "
            + setting(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, kafka, "PLAINTEXT")
            + ")";
    if (failure instanceof SslAuthenticationException) {
      return where
          + " failed the TLS handshake: "
          + deepest(failure)
          + ". Check "
          + KafkaSettings.PREFIX
          + "ssl.truststore.location (it must trust the brokers' certificate) and that the"
          + " address matches the certificate";
    }
    if (failure instanceof AuthenticationException) {
      return where
          + " refused the credentials: "
          + failure.getMessage()
          + ". Check "
          + KafkaSettings.PREFIX
          + SaslConfigs.SASL_JAAS_CONFIG
          + " and "
          + setting(SaslConfigs.SASL_MECHANISM, kafka, SaslConfigs.DEFAULT_SASL_MECHANISM);
    }
    if (failure instanceof AuthorizationException) {
      return where + " does not allow this client to describe the cluster: " + failure.getMessage();
    }
    if (failure instanceof TimeoutException
        || failure instanceof org.apache.kafka.common.errors.TimeoutException) {
      return "no broker of "
          + where
          + " answered within "
          + TIMEOUT.toSeconds()
          + " s. Check that the address is right and reachable, and that "
          + KafkaSettings.PREFIX
          + CommonClientConfigs.SECURITY_PROTOCOL_CONFIG
          + " matches the listener (a TLS listener spoken to in plain text, or the reverse,"
          + " never answers)";
    }
    return where + " cannot be used: " + failure;
  }

  /** {@code kafka.<key>=<value>}, or the default the client uses when it is not set. */
  private static String setting(String key, KafkaSettings kafka, String clientDefault) {
    String value = kafka.passThrough().get(key);
    return KafkaSettings.PREFIX
        + key
        + "="
        + (value == null ? clientDefault + " (not set, Kafka's default)" : value);
  }

  private static String deepest(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getMessage();
  }
}
